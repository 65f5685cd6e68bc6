/**
 * The fenced blocks of a Markdown page, and which of them the docs test runs.
 *
 * The convention (announced to every writer of docs): a block whose info string starts with `sh`, `bash`, `ts`,
 * `typescript`, `python` or `py` is run, unless the nearest non-blank line before its opening fence is
 * `<!-- not run: REASON -->` (a non-empty reason). `<!-- file: PATH -->` there instead writes the block to PATH in the
 * page's working folder, where the page's later blocks can use it, and does not run it. Every fence needs an info
 * string (`text` for output, diagrams and anything else that is not run), so that a runnable command cannot slip past
 * the test in a bare fence.
 */

export type BlockKind = 'shell' | 'typescript' | 'python';

/** Info-string languages that are run, and how. */
export const RUN_LANGUAGES: Readonly<Record<string, BlockKind>> = {
  sh: 'shell',
  bash: 'shell',
  ts: 'typescript',
  typescript: 'typescript',
  python: 'python',
  py: 'python',
};

export interface DocBlock {
  /** Line of the opening fence, from 1. */
  line: number;
  /** The whole info string, trimmed. */
  info: string;
  /** Its first word, lower-cased ('' for a bare fence). */
  lang: string;
  /** The block's lines, the fence's indentation removed, each ending in "\n". */
  text: string;
  /** The reason of a `<!-- not run: REASON -->` before the fence. */
  notRun?: string;
  /** The path of a `<!-- file: PATH -->` before the fence. */
  saveAs?: string;
}

const OPEN = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const NOT_RUN = /^<!--\s*not run:(.*?)-->\s*$/;
const FILE = /^<!--\s*file:\s*(\S+)\s*-->\s*$/;

/** Splits a Markdown page into its fenced blocks, in order. An unclosed fence runs to the end of the page. */
export function parseBlocks(markdown: string): DocBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = OPEN.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!.length;
    const fence = open[2]!;
    const info = open[3]!.trim();
    if (fence[0] === '`' && info.includes('`')) continue; // not a fence: inline code such as ```x```
    const body: string[] = [];
    let j = i + 1;
    const close = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    for (; j < lines.length && !close.test(lines[j]!); j++) body.push(stripIndent(lines[j]!, indent));
    const block: DocBlock = { line: i + 1, info, lang: (info.split(/\s+/)[0] ?? '').toLowerCase(), text: body.map((l) => `${l}\n`).join('') };
    const before = previousNonBlank(lines, i);
    const notRun = before === undefined ? null : NOT_RUN.exec(before);
    const file = before === undefined ? null : FILE.exec(before);
    if (notRun) block.notRun = notRun[1]!.trim();
    if (file) block.saveAs = file[1]!;
    blocks.push(block);
    i = j;
  }
  return blocks;
}

/** How the docs test treats a block: run it (and how), write it to a file, or leave it. */
export function kindOf(block: DocBlock): BlockKind | 'file' | 'not run' {
  if (block.saveAs !== undefined) return 'file';
  const kind = RUN_LANGUAGES[block.lang];
  if (kind === undefined || block.notRun !== undefined) return 'not run';
  return kind;
}

/** What is wrong with a page's blocks, one sentence each with its line; empty when nothing is. */
export function blockProblems(file: string, blocks: readonly DocBlock[]): string[] {
  const problems: string[] = [];
  for (const b of blocks) {
    if (b.lang === '') {
      problems.push(`${file}:${b.line}: a fence without an info string: write \`sh\` (or ts, python) to have it run by the docs test, or \`text\` for output and anything not run`);
    }
    if (b.notRun !== undefined && b.notRun === '') problems.push(`${file}:${b.line}: <!-- not run: REASON --> needs a reason`);
    if (b.saveAs !== undefined && (b.saveAs.startsWith('/') || b.saveAs.split('/').includes('..'))) {
      problems.push(`${file}:${b.line}: <!-- file: ${b.saveAs} --> must name a path inside the page's working folder`);
    }
  }
  return problems;
}

/**
 * Points an example at the test's live server: `127.0.0.1:8080` and `localhost:8080` (the default address the docs
 * show, in `ws://` and `http://` URLs alike) become `127.0.0.1:PORT`.
 */
export function pointAtServer(text: string, port: number): string {
  return text.replace(/\b(?:127\.0\.0\.1|localhost):8080\b/g, `127.0.0.1:${port}`);
}

function stripIndent(line: string, indent: number): string {
  let k = 0;
  while (k < indent && line[k] === ' ') k++;
  return line.slice(k);
}

function previousNonBlank(lines: readonly string[], index: number): string | undefined {
  for (let k = index - 1; k >= 0; k--) if (lines[k]!.trim() !== '') return lines[k]!.trim();
  return undefined;
}
