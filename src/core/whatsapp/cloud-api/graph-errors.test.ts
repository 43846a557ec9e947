import { describe, expect, it } from 'vitest';
import { classifyGraphError, type GraphErrorInfo, type GraphErrorVerdict } from './graph-errors';

const info = (code: number | null, httpStatus: number | null = 400, network = false): GraphErrorInfo => ({
  code,
  subcode: null,
  httpStatus,
  details: null,
  fbtraceId: null,
  network,
});

describe('classifyGraphError (cloud-api-notes.md, the error table)', () => {
  const table: [string, GraphErrorInfo, GraphErrorVerdict][] = [
    ['190 token expired', info(190, 401), 'credentials'],
    ['0 auth', info(0), 'credentials'],
    ['3 capability', info(3), 'credentials'],
    ['10 permission', info(10, 403), 'credentials'],
    ['200 permission', info(200, 403), 'credentials'],
    ['299 permission', info(299, 403), 'credentials'],
    ['131005 access denied', info(131005, 403), 'credentials'],
    ['368 policy block', info(368, 403), 'restricted'],
    ['131031 account locked', info(131031, 403), 'restricted'],
    ['131042 payment', info(131042), 'restricted'],
    ['4 app rate limit', info(4), 'transient'],
    ['80007 account rate limit', info(80007), 'transient'],
    ['130429 throughput', info(130429), 'transient'],
    ['131056 pair rate limit', info(131056), 'transient'],
    ['131000 something went wrong', info(131000, 500), 'transient'],
    ['131016 service unavailable', info(131016, 503), 'transient'],
    ['131057 maintenance', info(131057, 503), 'transient'],
    ['5xx without a Graph body', info(null, 502), 'transient'],
    ['network', info(null, null, true), 'transient'],
    ['131047 24-hour window', info(131047), 'permanent'],
    ['131026 undeliverable', info(131026), 'permanent'],
    ['131008 missing parameter', info(131008), 'permanent'],
    ['131009 bad parameter', info(131009), 'permanent'],
    ['131051 unsupported type', info(131051), 'permanent'],
    ['132001 template missing', info(132001, 404), 'permanent'],
    ['132015 template paused', info(132015), 'permanent'],
    ['100 invalid parameter', info(100), 'permanent'],
    ['a known permanent code even with HTTP 500', info(131047, 500), 'permanent'],
    ['an unknown code with HTTP 500', info(999_999, 500), 'transient'],
    ['an unknown code with HTTP 400', info(999_999, 400), 'permanent'],
    ['a 4xx without a Graph body', info(null, 404), 'permanent'],
  ];
  for (const [label, input, verdict] of table) {
    it(`${label} -> ${verdict}`, () => expect(classifyGraphError(input)).toBe(verdict));
  }
});
