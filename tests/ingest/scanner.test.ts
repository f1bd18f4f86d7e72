import { describe, expect, it } from 'vitest';
import { CsvScanner, INVALID, NEED_MORE, ROW, fieldText, type ScannerOptions } from '../../src/ingest/scanner.js';

type Scanned =
  | { line: number; fields: string[] }
  | { line: number; invalid: string; field: number; value: string; raw: string };

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { ignoreBOM: true });

/** Scans `input` cut into chunks at the given offsets, returning every row and rejected row. */
function scan(input: string | Uint8Array, options: ScannerOptions = {}, cuts: number[] = []): Scanned[] {
  const bytes = typeof input === 'string' ? enc.encode(input) : input;
  const sc = new CsvScanner(options);
  const out: Scanned[] = [];
  const bounds = [0, ...cuts, bytes.length];
  for (let k = 0; k + 1 < bounds.length; k++) {
    // A fresh copy per chunk, so a scanner that kept a reference to an old chunk would see garbage.
    const chunk = bytes.slice(bounds[k], bounds[k + 1]);
    sc.feed(chunk, k + 2 === bounds.length);
    for (;;) {
      const r = sc.next();
      if (r === NEED_MORE) break;
      if (r === ROW) {
        const fields: string[] = [];
        for (let i = 0; i < sc.fieldCount; i++) fields.push(fieldText(sc, i));
        out.push({ line: sc.line, fields });
      } else {
        expect(r).toBe(INVALID);
        const issue = sc.issue!;
        out.push({
          line: sc.line,
          invalid: issue.message,
          field: issue.field,
          value: issue.value,
          raw: dec.decode(sc.raw.subarray(sc.rawStart, sc.rawEnd)),
        });
      }
    }
    // Trash the chunk: the scanner must have copied whatever it still needs from it.
    chunk.fill(0x3f);
  }
  return out;
}

const rows = (...r: Array<[number, string[]]>): Scanned[] => r.map(([line, fields]) => ({ line, fields }));

describe('CsvScanner', () => {
  it('splits plain LF rows into fields and numbers their lines', () => {
    expect(scan('id,platform,territory\nabc,vk,44701000\ndef,tg,44701000001\n')).toEqual(
      rows([1, ['id', 'platform', 'territory']], [2, ['abc', 'vk', '44701000']], [3, ['def', 'tg', '44701000001']]),
    );
  });

  it('treats CRLF like LF and keeps a CR that is not before a LF', () => {
    expect(scan('a,b\r\nc,d\r\ne\rf,g\n')).toEqual(rows([1, ['a', 'b']], [2, ['c', 'd']], [3, ['e\rf', 'g']]));
  });

  it('accepts a last row without a newline, and drops a CR cut short at the end', () => {
    expect(scan('a,b\nc,d')).toEqual(rows([1, ['a', 'b']], [2, ['c', 'd']]));
    expect(scan('a,b\nc,d\r')).toEqual(rows([1, ['a', 'b']], [2, ['c', 'd']]));
    expect(scan('a,"b"\r')).toEqual(rows([1, ['a', 'b']]));
  });

  it('skips blank lines but counts them', () => {
    expect(scan('\na,b\n\r\n\nc,d\n\n')).toEqual(rows([2, ['a', 'b']], [5, ['c', 'd']]));
  });

  it('keeps empty fields, including a trailing one', () => {
    expect(scan(',,\na,,b\n')).toEqual(rows([1, ['', '', '']], [2, ['a', '', 'b']]));
  });

  it('strips a UTF-8 BOM at the start only', () => {
    expect(scan('\uFEFFid,x\n\uFEFFa,b\n')).toEqual(rows([1, ['id', 'x']], [2, ['\uFEFFa', 'b']]));
    expect(scan('\uFEFFid,x\n', { stripBom: false })).toEqual(rows([1, ['\uFEFFid', 'x']]));
  });

  it('unquotes fields, with delimiters, "" escapes and CRLF inside quotes', () => {
    expect(scan('"a,b","say ""hi""",""\n"x\r\ny",z\n')).toEqual(
      rows([1, ['a,b', 'say "hi"', '']], [2, ['x\r\ny', 'z']]),
    );
  });

  it('reports the line where a row with embedded newlines starts, and counts those lines', () => {
    expect(scan('h1,h2\n"multi\nline\nvalue",v\nnext,row\n"a\n",b\r\nlast,one\n')).toEqual(
      rows([1, ['h1', 'h2']], [2, ['multi\nline\nvalue', 'v']], [5, ['next', 'row']], [6, ['a\n', 'b']], [8, ['last', 'one']]),
    );
  });

  it('records only the wanted leading fields', () => {
    expect(scan('a,b,c,d\n"x","y,z","q\nq",w\ne\n', { wanted: 2 })).toEqual(
      rows([1, ['a', 'b']], [2, ['x', 'y,z']], [4, ['e']]),
    );
  });

  it('splits on another delimiter byte', () => {
    expect(scan('a;b,c;"d;e"\tf\n', { delimiter: 0x3b })).toEqual([
      { line: 1, invalid: expect.stringContaining('after a closing quote') as unknown as string, field: 3, value: '"d;e"\tf', raw: 'a;b,c;"d;e"\tf' },
    ]);
    expect(scan('a\tb,c\t"d\te"\n', { delimiter: 0x09 })).toEqual(rows([1, ['a', 'b,c', 'd\te']]));
  });

  it('passes UTF-8 bytes through untouched', () => {
    expect(scan('Магадан,"ё,ж"\n')).toEqual(rows([1, ['Магадан', 'ё,ж']]));
  });

  it('gives the same rows wherever the input is cut into two or three chunks', () => {
    const input = '\uFEFFid,p,t\r\nabc,vk,44\n"q""x",ok,"4\n5"\n\nd,e\r\n"u",,"v"\r\nlast,x,y';
    const expected = scan(input);
    expect(expected).toHaveLength(6);
    const n = enc.encode(input).length;
    for (let a = 0; a <= n; a++) {
      expect(scan(input, {}, [a]), `cut at ${a}`).toEqual(expected);
      for (let b = a; b <= n; b += 3) expect(scan(input, {}, [a, b]), `cuts at ${a},${b}`).toEqual(expected);
    }
    // One byte per chunk.
    expect(scan(input, {}, Array.from({ length: n - 1 }, (_, i) => i + 1))).toEqual(expected);
  });

  it('gives the same rows and rejects wherever an invalid input is cut', () => {
    const input = 'a,b\nx"y,z\n"ok",1\n"p"q,r\ns,t\n"open,u\nv,w';
    const expected = scan(input);
    const n = enc.encode(input).length;
    for (let a = 0; a <= n; a++) expect(scan(input, {}, [a]), `cut at ${a}`).toEqual(expected);
  });

  describe('broken quoting', () => {
    it('rejects a quote inside an unquoted field, naming line, field and value', () => {
      expect(scan('a,b\nab,c"d,e\nf,g\n')).toEqual([
        { line: 1, fields: ['a', 'b'] },
        {
          line: 2,
          invalid: 'unexpected quote inside an unquoted field (a field that contains quotes must be quoted as a whole, with quotes doubled)',
          field: 2,
          value: 'c"d',
          raw: 'ab,c"d,e',
        },
        { line: 3, fields: ['f', 'g'] },
      ]);
    });

    it('rejects text after a closing quote, up to the end of that line', () => {
      expect(scan('"a\nb"x,c\r\nd,e\n')).toEqual([
        {
          line: 1,
          invalid: 'unexpected text after a closing quote (expected a delimiter or the end of the row)',
          field: 1,
          value: '"a\nb"x',
          raw: '"a\nb"x,c',
        },
        { line: 3, fields: ['d', 'e'] },
      ]);
      expect(scan('"a"\rb\n')).toMatchObject([{ line: 1, invalid: expect.stringContaining('after a closing quote') as unknown, raw: '"a"\rb' }]);
    });

    it('rejects an unterminated quote at the end of input and resumes on the next line', () => {
      expect(scan('a,b\nc,"open\nd,e\nf,g')).toEqual([
        { line: 1, fields: ['a', 'b'] },
        {
          line: 2,
          invalid: 'unterminated quoted field: the opening quote has no closing quote before the end of input',
          field: 2,
          value: 'c,"open',
          raw: 'c,"open',
        },
        { line: 3, fields: ['d', 'e'] },
        { line: 4, fields: ['f', 'g'] },
      ]);
    });

    it('rejects a row longer than maxRowBytes and skips the rest of its line', () => {
      const long = 'x'.repeat(100);
      expect(scan(`a,b\n${long}\nc,d\n`, { maxRowBytes: 50 }, [20, 40, 60, 80, 100])).toEqual([
        { line: 1, fields: ['a', 'b'] },
        { line: 2, invalid: 'row longer than 50 bytes', field: 1, value: 'x'.repeat(50), raw: 'x'.repeat(50) },
        { line: 3, fields: ['c', 'd'] },
      ]);
    });

    it('rejects a quote left open for more than maxRowBytes at its first line', () => {
      const out = scan(`a,"${'y\n'.repeat(40)}`, { maxRowBytes: 50 }, [30, 60]);
      expect(out[0]).toEqual({ line: 1, invalid: 'row longer than 50 bytes', field: 1, value: 'a,"y', raw: 'a,"y' });
      expect(out[1]).toEqual({ line: 2, fields: ['y'] });
    });

    it('rejects a complete row longer than maxRowBytes the same way, whatever the chunking', () => {
      const input = `a,b\n${'z'.repeat(70)}\n"q\n${'w'.repeat(60)}",e\nc,d\n`;
      const expected = scan(input, { maxRowBytes: 64 });
      expect(expected.map((r) => ('invalid' in r ? `${r.line}!` : `${r.line}`))).toEqual(['1', '2!', '3!', '4!', '5']);
      for (let a = 0; a <= input.length; a += 5) expect(scan(input, { maxRowBytes: 64 }, [a]), `cut at ${a}`).toEqual(expected);
    });
  });

  it('reads back random valid CSV exactly, in random chunks (seeded)', () => {
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const alphabet = ['a', 'b', '7', ' ', 'ж', ',', '"', '\n', '\r', ';'];
    for (let round = 0; round < 200; round++) {
      const expected: Scanned[] = [];
      let text = rand(2) === 0 ? '\uFEFF' : '';
      let line = 1;
      const nRows = 1 + rand(6);
      for (let r = 0; r < nRows; r++) {
        const nFields = 1 + rand(4);
        const fields: string[] = [];
        const cells: string[] = [];
        for (let f = 0; f < nFields; f++) {
          let v = '';
          for (let k = rand(5); k > 0; k--) v += alphabet[rand(alphabet.length)];
          fields.push(v);
          const mustQuote = /[,"\n\r]/.test(v) || (nFields === 1 && v === '');
          cells.push(mustQuote || rand(4) === 0 ? `"${v.replaceAll('"', '""')}"` : v);
        }
        expected.push({ line, fields });
        line += 1 + (fields.join('').match(/\n/g) ?? []).length;
        text += cells.join(',') + (rand(2) === 0 ? '\r\n' : '\n');
      }
      const bytes = enc.encode(text);
      const cuts = [rand(bytes.length + 1), rand(bytes.length + 1)].sort((x, y) => x - y);
      expect(scan(bytes, {}, cuts), JSON.stringify(text)).toEqual(expected);
    }
  });

  it('tells how many bytes it consumed: the end of the last complete row', () => {
    const sc = new CsvScanner();
    const consumedAfter = (chunk: string, final = false): number => {
      sc.feed(enc.encode(chunk), final);
      while (sc.next() !== NEED_MORE);
      return sc.consumed;
    };
    expect(consumedAfter('a,b\nc,')).toBe(4);
    expect(consumedAfter('d\n"e\n')).toBe(8);
    expect(consumedAfter('f",g\nh')).toBe(16);
    expect(consumedAfter('', true)).toBe(17);
  });

  it('gives the same rows and rejects for garbage input however it is chunked (seeded fuzz)', () => {
    let seed = 777;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const alphabet = ['a', 'b', ',', '"', '"', '\n', '\r', '\r\n', 'ж'];
    for (let round = 0; round < 300; round++) {
      let text = '';
      for (let k = 20 + rand(200); k > 0; k--) text += alphabet[rand(alphabet.length)];
      const bytes = enc.encode(text);
      const options = { maxRowBytes: 8 + rand(40), wanted: 1 + rand(3) };
      const expected = scan(bytes, options);
      const cuts = [rand(bytes.length + 1), rand(bytes.length + 1), rand(bytes.length + 1)].sort((x, y) => x - y);
      expect(scan(bytes, options, cuts), `${JSON.stringify(text)} ${JSON.stringify(options)} cuts ${cuts}`).toEqual(expected);
      if (round % 10 === 0) {
        const ones = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
        expect(scan(bytes, options, ones), `${JSON.stringify(text)} byte by byte`).toEqual(expected);
      }
    }
  });

  it('starts counting at firstLine', () => {
    expect(scan('a\nb\n', { firstLine: 101 })).toEqual(rows([101, ['a']], [102, ['b']]));
  });

  it('rejects a delimiter that cannot separate fields', () => {
    expect(() => new CsvScanner({ delimiter: 0x22 })).toThrow(RangeError);
    expect(() => new CsvScanner({ delimiter: 0x0a })).toThrow(RangeError);
  });
});
