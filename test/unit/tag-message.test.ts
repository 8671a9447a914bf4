import {describe, expect, it} from 'vitest'

import {formatNumber, formatParam, formatTagMessage, parseTagMessage, roundSane} from '../../src/domain/tag-message.js'

describe('tag messages', () => {
  it('writes key=value fields then the description', () => {
    const text = formatTagMessage({fields: {model: 'bert-base', lr: '1e-4', f1: '0.8900', data: '3a2f1b'}, description: 'baseline'})
    expect(text).toBe('model=bert-base | lr=1e-4 | f1=0.8900 | data=3a2f1b | baseline')
  })

  it('parses what it writes, escaping pipes in values', () => {
    const msg = {fields: {model: 'a|b', note: 'x\\y'}, description: 'two | parts'}
    const parsed = parseTagMessage(formatTagMessage(msg))
    expect(parsed.fields).toEqual({model: 'a|b', note: 'x\\y'})
    expect(parsed.description).toBe('two | parts')
  })

  it('parses hand-written messages from the seeds', () => {
    const parsed = parseTagMessage('model=baseline | lr=0.001 | acc=0.82 | initial baseline')
    expect(parsed.fields).toEqual({model: 'baseline', lr: '0.001', acc: '0.82'})
    expect(parsed.description).toBe('initial baseline')
    expect(parseTagMessage('just words').fields).toEqual({})
  })

  it('formats numbers to 4 decimals, small ones in exponent form', () => {
    expect(formatNumber(0.89)).toBe('0.8900')
    expect(formatNumber(0.123456)).toBe('0.1235')
    expect(formatNumber(0.0001)).toBe('1e-4')
    expect(formatNumber(0.00002)).toBe('2e-5')
    expect(formatNumber(32, true)).toBe('32')
    expect(formatNumber(32)).toBe('32.0000')
  })
})

describe('tag message round trip (D3) and numbers (D9)', () => {
  it('keeps any description verbatim, never as fields', () => {
    for (const d of ['eval=v2 | new test set', 'a\\b | c=d', 'x\\=y', 'no runs', 'trailing \\']) {
      const parsed = parseTagMessage(formatTagMessage({fields: {f1: '0.9'}, description: d}))
      expect(parsed).toEqual({fields: {f1: '0.9'}, description: d.trim()})
    }
  })

  it('writes no runs for runs=0 and reads it back', () => {
    expect(formatTagMessage({fields: {runs: '0', data: 'abc123'}})).toBe('no runs | data=abc123')
    expect(parseTagMessage('no runs | data=abc123').fields).toEqual({runs: '0', data: 'abc123'})
  })

  it('rounds JSON numbers sanely', () => {
    const mean = Array.from({length: 10}, () => 0.81).reduce((a, b) => a + b) / 10
    expect(mean).not.toBe(0.81)
    expect(roundSane(mean)).toBe(0.81)
    expect(formatParam(1e-5)).toBe('0.00001')
    expect(formatParam(32)).toBe('32')
  })
})
