import { describe, expect, it } from 'vitest';
import { findPersonRequest } from './person-request';

describe('findPersonRequest', () => {
  it.each([
    'please let me talk to someone',
    'talk to person',
    'I want to speak with somebody',
    'Can I speak to a human pls',
    'connect me to an agent',
    'abeg make I talk to person',
    'i wan yarn with una',
    'plz let me tlk to somone',
    'I want to spek with your manager',
    'can I talk to one of your staff',
    'call me',
    'Pls call me back when you are free',
    'make una call me',
    'Are you a bot?',
    'am i talking to a machine',
    'put me through to customer service',
  ])('"%s" asks for a person', (text) => {
    expect(findPersonRequest(text)).not.toBeNull();
  });

  it.each([
    'How much is delivery?',
    'Let me talk to my oga first',
    'Does the person who delivers speak English?',
    'I want to talk about the price',
    'What do you call this product?',
    'Someone told me about your shop',
    'hi',
    '',
  ])('"%s" does not', (text) => {
    expect(findPersonRequest(text)).toBeNull();
  });
});
