import { describe, expect, it } from 'vitest';
import { givenNameRoot, isNicknameOf } from '@shared/identity/nicknames';
import { soundex } from '@shared/identity/phonetic';
import { compareDates, editDistance, jaroWinkler, jaroWinklerAtLeast, tokenOverlap, tokenSimilarity, withinOneEdit } from '@shared/identity/similarity';

describe('jaroWinkler', () => {
  it('matches the published reference values', () => {
    // Winkler (1990) / common reference pairs.
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('dwayne', 'duane')).toBeCloseTo(0.84, 2);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.813, 3);
  });

  it('is 1 for equal strings, 0 for nothing in common, and symmetric', () => {
    expect(jaroWinkler('smith', 'smith')).toBe(1);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
    expect(jaroWinkler('', 'abc')).toBe(0);
    expect(jaroWinkler('jonathan', 'jonothan')).toBeCloseTo(jaroWinkler('jonothan', 'jonathan'), 10);
  });
});

describe('edit distances', () => {
  it('counts an adjacent transposition as one edit', () => {
    expect(editDistance('5490051', '5490015')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3);
  });

  it('withinOneEdit agrees with the full distance', () => {
    const pairs = [['12345', '12345'], ['12345', '12346'], ['12345', '1245'], ['12345', '123456'], ['12345', '13245'], ['12345', '54321'], ['123', '321']];
    for (const [a, b] of pairs) expect(withinOneEdit(a as string, b as string)).toBe(editDistance(a as string, b as string) <= 1);
  });
});

describe('token similarity', () => {
  it('ignores word order and tolerates a typo', () => {
    expect(tokenSimilarity('orjor road', 'road orjor')).toBe(1);
    expect(tokenSimilarity('tullaroop street', 'tulaaroop street')).toBeGreaterThan(0.9);
    expect(tokenSimilarity('main street', 'ocean drive')).toBeLessThan(0.7);
  });

  it('token overlap is the Jaccard share of words', () => {
    expect(tokenOverlap('a b c', 'b c d')).toBeCloseTo(0.5);
    expect(tokenOverlap('', 'a')).toBe(0);
  });
});

describe('compareDates', () => {
  it('grades dates of birth', () => {
    expect(compareDates(19800312, 19800312)).toBe('exact');
    expect(compareDates(19800312, 19801203)).toBe('near'); // day and month swapped
    expect(compareDates(19800312, 19800321)).toBe('near'); // digits transposed
    expect(compareDates(19800312, 19800313)).toBe('near'); // one digit wrong
    expect(compareDates(19800312, 19800328)).toBe('partial'); // same year and month
    expect(compareDates(19800312, 19650723)).toBe('different');
  });
});

describe('nicknames', () => {
  it('knows common short forms, both ways, and not across names', () => {
    expect(isNicknameOf('bob', 'robert')).toBe(true);
    expect(isNicknameOf('robert', 'bob')).toBe(true);
    expect(isNicknameOf('liz', 'elizabeth')).toBe(true);
    expect(isNicknameOf('bill', 'william')).toBe(true);
    expect(isNicknameOf('bob', 'william')).toBe(false);
    expect(isNicknameOf('zelda', 'zora')).toBe(false);
    expect(givenNameRoot('peggy')).toBe('margaret');
    expect(givenNameRoot('unknownname')).toBe('unknownname');
  });
});

describe('soundex', () => {
  it('matches American Soundex', () => {
    expect(soundex('robert')).toBe('R163');
    expect(soundex('rupert')).toBe('R163');
    expect(soundex('ashcraft')).toBe('A261');
    expect(soundex('tymczak')).toBe('T522');
    expect(soundex('pfister')).toBe('P236');
    expect(soundex('smith')).toBe(soundex('smyth'));
    expect(soundex('')).toBe('');
  });
});

describe('jaroWinklerAtLeast', () => {
  it('equals jaroWinkler whenever the score can reach the floor', () => {
    const words = ['jon', 'john', 'jonathan', 'johnathon', 'smith', 'smithson', 'a', 'alexandra', 'alex', 'robert.smith@example.com', 'rob.smith@example.com'];
    for (const a of words) {
      for (const b of words) {
        const full = jaroWinkler(a, b);
        const bounded = jaroWinklerAtLeast(a, b, 0.8);
        if (full >= 0.8) expect(bounded).toBe(full);
        else expect(bounded === 0 || bounded === full).toBe(true);
      }
    }
  });
});
