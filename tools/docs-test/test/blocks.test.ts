import { blockProblems, kindOf, parseBlocks, parseConversation, parseHex, pointAtServer } from '../src';

const page = [
  '# Title',
  '',
  '```sh',
  'npm run train',
  '```',
  '',
  '<!-- not run: runs until Ctrl-C -->',
  '',
  '```bash',
  'npm start',
  '```',
  '<!-- file: agent.ts -->',
  '```ts',
  'export default 1;',
  '```',
  '```text',
  '$ output',
  '```',
  '- a list item:',
  '  ```python',
  '  print("indented")',
  '  ```',
  '````ts',
  'const s = "```";',
  '````',
  '```',
  'npm run bare',
  '```',
].join('\n');

describe('parseBlocks', () => {
  const blocks = parseBlocks(page);

  test('finds every fence with its line, language and text', () => {
    expect(blocks.map((b) => [b.line, b.lang])).toEqual([[3, 'sh'], [9, 'bash'], [13, 'ts'], [16, 'text'], [20, 'python'], [23, 'ts'], [26, '']]);
    expect(blocks[0]!.text).toBe('npm run train\n');
    expect(blocks[4]!.text).toBe('print("indented")\n'); // the fence's indentation removed
    expect(blocks[5]!.text).toBe('const s = "```";\n'); // a longer fence holds a shorter one
  });

  test('a not-run comment (blank lines allowed between) leaves the block out; a file comment saves it', () => {
    expect(blocks.map(kindOf)).toEqual(['shell', 'not run', 'file', 'not run', 'python', 'typescript', 'not run']);
    expect(blocks[1]!.notRun).toBe('runs until Ctrl-C');
    expect(blocks[2]!.saveAs).toBe('agent.ts');
  });

  test('a bare fence and a not-run without reason are problems, named with their line', () => {
    const problems = blockProblems('X.md', [...blocks, ...parseBlocks('<!-- not run: -->\n```sh\nls\n```\n')]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^X\.md:26: a fence without an info string/);
    expect(problems[1]).toMatch(/^X\.md:2: <!-- not run: REASON --> needs a reason/);
  });
});

test('pointAtServer rewrites the default address to the live port, and nothing else', () => {
  expect(pointAtServer('--url ws://127.0.0.1:8080/ws; curl http://localhost:8080/healthz; --port 8080; :80801', 41234)).toBe(
    '--url ws://127.0.0.1:41234/ws; curl http://127.0.0.1:41234/healthz; --port 8080; :80801',
  );
});

test('parseConversation reads requests and replies spread over lines, ignoring notes; abbreviated ones stay unparsed', () => {
  const lines = parseConversation(
    ['-> {"type":"step","action":1,"id":4}     # down {not json}', '<- {"type":"made","spec":{"a":[1,', '     2]},"id":2}', '<- {... "id":5}'].join('\n'),
  );
  expect(lines.map((l) => [l.direction, l.message])).toEqual([
    ['->', { type: 'step', action: 1, id: 4 }],
    ['<-', { type: 'made', spec: { a: [1, 2] }, id: 2 }],
    ['<-', undefined],
  ]);
});

test('parseHex reads the digits before a note of two or more spaces', () => {
  expect(Array.from(parseHex('85 a4 7479  map, 5 "ty"\nc4 02 01 00       bin'))).toEqual([0x85, 0xa4, 0x74, 0x79, 0xc4, 0x02, 0x01, 0x00]);
  expect(() => parseHex('8z')).toThrow('not hex bytes');
});
