import { defineCommand, defineFlags, HelpRequested, UsageError } from '../src';

const FLAGS = defineFlags({
  port: { type: 'int', default: 8080, min: 0, max: 65535, placeholder: 'P', doc: 'port to listen on' },
  host: { type: 'string', default: '127.0.0.1', doc: 'address to bind' },
  token: { type: 'string', env: 'RLFS_TOKEN', placeholder: 'T', doc: 'token' },
  encoding: { type: 'string', choices: ['plain', 'packed'], default: 'packed', doc: 'wire encoding' },
  rate: { type: 'number', min: 0, doc: 'a rate' },
  quiet: { type: 'boolean', doc: 'no progress line' },
  options: { type: 'json', default: {}, doc: 'environment options' },
  'allow-origin': { type: 'list', doc: 'origins, repeatable' },
  n: { type: 'list', of: 'int', min: 1, default: [64, 1024], doc: 'sizes' },
  only: { type: 'list', choices: ['inproc', 'scalar', 'vector'], doc: 'groups' },
  url: { type: 'string', required: true, placeholder: 'URL', doc: "the server's socket" },
});
const command = defineCommand({ name: 'npm run thing', description: 'Does a thing.', flags: FLAGS });
const parse = (...argv: string[]) => command.parse(argv, {});

function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (err) {
    if (err instanceof UsageError) return err;
    throw err;
  }
  throw new Error('no UsageError thrown');
}

describe('parse', () => {
  it('fills defaults and types every value', () => {
    const v = parse('--url', 'ws://x/ws');
    expect(v).toEqual({ port: 8080, host: '127.0.0.1', token: undefined, encoding: 'packed', rate: undefined, quiet: false, options: {}, 'allow-origin': undefined, n: [64, 1024], only: undefined, url: 'ws://x/ws' });
    // Compile-time: these assignments need no casts.
    const port: number = v.port;
    const encoding: 'plain' | 'packed' = v.encoding;
    const only: Array<'inproc' | 'scalar' | 'vector'> | undefined = v.only;
    const n: number[] = v.n;
    expect([port, encoding, only, n]).toEqual([8080, 'packed', undefined, [64, 1024]]);
  });

  it('reads --flag value, --flag=value, booleans, lists (commas and repeats) and JSON', () => {
    const v = parse('--url=u', '--port', '0', '--quiet', '--rate=0.5', '--options', '{"size":8}', '--allow-origin', 'http://a,http://b', '--allow-origin=http://c', '--n', '1,2', '--only', 'vector', '--encoding', 'plain');
    expect(v).toMatchObject({ url: 'u', port: 0, quiet: true, rate: 0.5, options: { size: 8 }, 'allow-origin': ['http://a', 'http://b', 'http://c'], n: [1, 2], only: ['vector'], encoding: 'plain' });
    expect(parse('--url', 'u', '--quiet=false').quiet).toBe(false);
  });

  it('takes a value that starts with a dash', () => {
    expect(parse('--url', 'u', '--host', '-weird-').host).toBe('-weird-');
  });

  it('reads the environment variable when the flag is absent, the flag winning when both are there', () => {
    expect(command.parse(['--url', 'u'], { RLFS_TOKEN: 'from-env' }).token).toBe('from-env');
    expect(command.parse(['--url', 'u', '--token', 'flag'], { RLFS_TOKEN: 'from-env' }).token).toBe('flag');
    expect(command.parse(['--url', 'u'], { RLFS_TOKEN: '' }).token).toBeUndefined();
  });

  it('says which flags the command line gave, apart from defaults and environment variables', () => {
    const { values, given } = command.parseDetailed(['--url', 'u', '--port=9', '--quiet'], { RLFS_TOKEN: 't' });
    expect([...given].sort()).toEqual(['port', 'quiet', 'url']);
    expect(values.token).toBe('t');
  });

  it('does not let one parse change the defaults of the next', () => {
    parse('--url', 'u').n.push(5);
    expect(parse('--url', 'u').n).toEqual([64, 1024]);
  });

  it.each([
    [['--port', '99999'], '--port: expected an integer from 0 to 65535, got "99999"'],
    [['--port', 'abc'], '--port: expected an integer from 0 to 65535, got "abc"'],
    [['--port', '8.5'], '--port: expected an integer from 0 to 65535, got "8.5"'],
    [['--port', ''], '--port: expected an integer from 0 to 65535, got ""'],
    [['--port'], '--port needs a value (P)'],
    [['--prot', '1'], 'unknown flag --prot (did you mean --port?)'],
    [['--verbose'], 'unknown flag --verbose'],
    [['-p', '1'], 'unknown flag -p'],
    [['stray'], 'unexpected argument "stray" (flags start with --)'],
    [['--encoding', 'packd'], '--encoding: expected one of plain, packed, got "packd" (did you mean packed?)'],
    [['--only', 'inproc,vectr'], '--only: expected items from inproc, scalar, vector, got "vectr" (did you mean vector?)'],
    [['--n', '64,0'], '--n: expected an integer >= 1, got "0"'],
    [['--rate', '-1'], '--rate: expected a number >= 0, got "-1"'],
    [['--options', '{size:8}'], `--options: expected a JSON object, got {size:8} (quote it in the shell: --options '{"size":8}')`],
    [['--options', '[1]'], '--options: expected a JSON object, got [1]'],
    [['--quiet=yes'], '--quiet: expected true or false (or --quiet alone), got "yes"'],
  ])('refuses %j: %s', (argv, message) => {
    const err = usageError(() => parse('--url', 'u', ...argv));
    expect(err.message).toBe(message);
    expect(err.hint).toBe('npm run thing -- --help');
  });

  it('refuses a missing required flag, naming it', () => {
    expect(usageError(() => parse()).message).toBe("--url is required (the server's socket)");
  });

  it('refuses a bad environment variable, naming it', () => {
    const withPort = defineCommand({ name: 'x', description: '', flags: defineFlags({ port: { type: 'int', env: 'PORT', max: 10, doc: 'p' } }) });
    expect(usageError(() => withPort.parse([], { PORT: '11' })).message).toBe('PORT (read for --port): --port: expected an integer <= 10, got "11"');
  });

  it('answers --help and -h with the help, even beside a mistake', async () => {
    for (const argv of [['--help'], ['-h'], ['--prot', '1', '--help']]) {
      let thrown: unknown;
      try {
        command.parse(argv, {});
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(HelpRequested);
      expect(await (thrown as HelpRequested).help()).toBe(await command.help());
    }
  });
});

describe('defineFlags', () => {
  it('refuses a table whose default fails its own check, and a declared --help', () => {
    expect(() => defineFlags({ port: { type: 'int', default: 70000, max: 65535, doc: 'p' } })).toThrow('default of --port fails its own check: --port: expected an integer <= 65535, got "70000"');
    expect(() => defineFlags({ help: { type: 'boolean', doc: 'h' } })).toThrow(/built in/);
    expect(() => defineFlags({ Port: { type: 'int', doc: 'p' } })).toThrow(/lower-case/);
  });
});

describe('help', () => {
  it('lists every flag with its placeholder, accepted values and default, then -h', async () => {
    const text = await command.help();
    expect(text).toBe(`usage: npm run thing -- [options]

Does a thing.

options:
  --port P                 port to listen on (integer from 0 to 65535) [default: 8080]
  --host STRING            address to bind [default: 127.0.0.1]
  --token T                token [default: $RLFS_TOKEN if set, else none]
  --encoding plain|packed  wire encoding [default: packed]
  --rate NUMBER            a rate (number >= 0) [default: none]
  --quiet                  no progress line [default: false]
  --options JSON           environment options [default: {}]
  --allow-origin A,B       origins, repeatable [default: none]
  --n N,N                  sizes (integer >= 1) [default: 64,1024]
  --only A,B               groups (inproc, scalar, vector) [default: none]
  --url URL                the server's socket [default: none, required]
  -h, --help               print this help and exit
`);
  });

  it('appends the epilogue', async () => {
    const withMore = defineCommand({ name: 'bench', usage: '[--quick]', description: 'Measures.', flags: defineFlags({}), epilog: async () => 'Groups:\n  a, b' });
    expect(await withMore.help()).toBe('usage: bench [--quick]\n\nMeasures.\n\noptions:\n  -h, --help  print this help and exit\n\nGroups:\n  a, b\n');
  });
});
