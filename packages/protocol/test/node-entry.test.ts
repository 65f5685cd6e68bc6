import * as index from '../src/index';
import * as node from '../src/node';

describe('@rlfs/protocol/node', () => {
  it('re-exports every value of the package by name, plus connect and connectVectorEnv (an .mts file can import any of them)', () => {
    const fromIndex = Object.keys(index).filter((k) => k !== '__esModule').sort();
    const fromNode = Object.keys(node).filter((k) => k !== '__esModule' && k !== 'connect' && k !== 'connectVectorEnv').sort();
    expect(fromNode).toEqual(fromIndex);
    expect(typeof node.connect).toBe('function');
  });
});
