import { describe, expect, it } from 'vitest';
import { cseqOf, headerOf, headersOf, paramOf, parseSipMessage, refusingAnswer, SipParseError, uriOf, writeRequest, writeResponse } from '../../../src-server/telephony/sip/sip-message';

const sdp = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0 8\r\nm=video 4002 RTP/AVP 96\r\na=rtpmap:0 PCMU/8000\r\n';

describe('SIP messages: parsing', () => {
  it('reads a response: status, compact headers, lists split into entries, the body by Content-Length', () => {
    const text = [
      'SIP/2.0 200 OK',
      'v: SIP/2.0/UDP 127.0.0.1:5080;branch=z9hG4bKaaa;rport=5080, SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKbbb',
      'Record-Route: <sip:127.0.0.1:5060;lr=on;ftag=x;hfout=1>,<sip:10.0.0.9;lr>',
      'f: <sip:+15551230000@127.0.0.1>;tag=from1',
      't: "Ava, agent" <sip:ava@127.0.0.1>;tag=to1',
      'i: abc@holdfast',
      'CSeq: 1 INVITE',
      'm: <sip:ava@127.0.0.1:40000;transport=udp>',
      'c: application/sdp',
      `l: ${Buffer.byteLength(sdp)}`,
      '',
      `${sdp}trailing garbage past the length`,
    ].join('\r\n');
    const message = parseSipMessage(text);
    expect(message).toMatchObject({ kind: 'response', status: 200, reason: 'OK', body: sdp });
    expect(headersOf(message, 'via')).toHaveLength(2);
    expect(paramOf(headerOf(message, 'via')!, 'branch')).toBe('z9hG4bKaaa');
    expect(headersOf(message, 'record-route')).toEqual(['<sip:127.0.0.1:5060;lr=on;ftag=x;hfout=1>', '<sip:10.0.0.9;lr>']);
    // A comma inside a quoted display name does not split the header.
    expect(headerOf(message, 'to')).toBe('"Ava, agent" <sip:ava@127.0.0.1>;tag=to1');
    expect(paramOf(headerOf(message, 'to')!, 'tag')).toBe('to1');
    expect(uriOf(headerOf(message, 'contact')!)).toBe('sip:ava@127.0.0.1:40000;transport=udp');
    expect(cseqOf(message)).toEqual({ seq: 1, method: 'INVITE' });
  });

  it('reads a request, folded header lines and a bare addr-spec', () => {
    const message = parseSipMessage('BYE sip:holdfast@127.0.0.1:5080 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1\r\nFrom: sip:ava@127.0.0.1;tag=a\r\nSubject: a long\r\n  subject\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n');
    expect(message).toMatchObject({ kind: 'request', method: 'BYE', uri: 'sip:holdfast@127.0.0.1:5080', body: '' });
    expect(headerOf(message, 'subject')).toBe('a long subject');
    expect(uriOf(headerOf(message, 'from')!)).toBe('sip:ava@127.0.0.1');
    expect(paramOf(headerOf(message, 'from')!, 'tag')).toBe('a');
  });

  it('refuses what is not SIP, naming the problem', () => {
    expect(() => parseSipMessage('GET / HTTP/1.1\r\nHost: x\r\n\r\n')).toThrow(SipParseError);
    expect(() => parseSipMessage('GET / HTTP/1.1\r\nHost: x\r\n\r\n')).toThrow(/not a SIP request or status line/);
    expect(() => parseSipMessage('SIP/2.0 200 OK\r\nVia: x')).toThrow(/no blank line/);
    expect(() => parseSipMessage('SIP/2.0 200 OK\r\nContent-Length: 50\r\n\r\nshort')).toThrow(/Content-Length 50/);
    expect(() => parseSipMessage('SIP/2.0 200 OK\r\nno colon here\r\n\r\n')).toThrow(/without a name/);
    expect(() => cseqOf(parseSipMessage('SIP/2.0 200 OK\r\nCSeq: one\r\n\r\n'))).toThrow(/bad CSeq/);
  });
});

describe('SIP messages: writing', () => {
  it('writes proper-case headers and its own Content-Length, and reads back the same', () => {
    const data = writeRequest('INVITE', 'sip:ava@127.0.0.1', [['via', 'SIP/2.0/UDP 127.0.0.1:5080;branch=z9hG4bKx'], ['call-id', 'c1'], ['cseq', '1 INVITE'], ['x-holdfast-key', 'k'], ['content-length', '999']], sdp);
    const text = data.toString('utf8');
    expect(text.startsWith('INVITE sip:ava@127.0.0.1 SIP/2.0\r\nVia: ')).toBe(true);
    expect(text).toContain('\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\nX-Holdfast-Key: k\r\n');
    expect(text).toContain(`Content-Length: ${Buffer.byteLength(sdp)}\r\n\r\n`);
    expect(text).not.toContain('999');
    expect(parseSipMessage(data)).toMatchObject({ kind: 'request', method: 'INVITE', body: sdp });
    expect(parseSipMessage(writeResponse(486, 'Busy Here', [['cseq', '1 INVITE']]))).toMatchObject({ kind: 'response', status: 486, reason: 'Busy Here', body: '' });
  });

  it('refuses every media stream of an offer in the answer it makes (port 0)', () => {
    const answer = refusingAnswer(sdp);
    expect(answer).toContain('m=audio 0 RTP/AVP 0 8\r\n');
    expect(answer).toContain('m=video 0 RTP/AVP 96\r\n');
    expect(answer).toContain('c=IN IP4 127.0.0.1\r\n');
  });
});
