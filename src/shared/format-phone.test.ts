import { describe, expect, it } from 'vitest';
import { formatPhone } from './format-phone';

describe('formatPhone', () => {
  it.each([
    ['+2348031234567', '+234 803 123 4567'],
    ['+2342012345678', '+234 201 234 5678'],
    ['+442079460958', '+44 207 946 0958'],
    ['+27821234567', '+27 821 234 567'],
    ['+233241234567', '+233 241 234 567'],
    ['+14155550123', '+1 415 555 0123'],
    ['not a number', 'not a number'],
  ])('%s -> %s', (input, expected) => expect(formatPhone(input)).toBe(expected));
});
