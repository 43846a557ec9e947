import { describe, expect, it } from 'vitest';
import { parseCloudNumberForm } from './cloud-number-form';

const form = (fields: Record<string, string>) => new URLSearchParams(fields);

describe('parseCloudNumberForm', () => {
  it('accepts what the admin API accepts, trimmed', () => {
    expect(
      parseCloudNumberForm(
        form({
          phoneNumberId: ' 106540352242922 ',
          workspaceId: 'w1',
          appSecret: 'app-secret-of-the-app',
          verifyToken: 'my-verify-token',
        }),
      ),
    ).toEqual({
      ok: true,
      input: {
        phoneNumberId: '106540352242922',
        workspaceId: 'w1',
        appSecret: 'app-secret-of-the-app',
        verifyToken: 'my-verify-token',
      },
    });
  });

  it('names each wrong field in words, and never hands the secrets back', () => {
    const result = parseCloudNumberForm(
      form({ phoneNumberId: '+234 801', workspaceId: '', appSecret: 'short', verifyToken: 'x'.repeat(201) }),
    );
    expect(result).toEqual({
      ok: false,
      values: { phoneNumberId: '+234 801', workspaceId: '' },
      errors: {
        phoneNumberId: 'Digits only (Meta’s phone_number_id).',
        workspaceId: 'Required.',
        appSecret: 'At least 8 characters.',
        verifyToken: 'At most 200 characters.',
      },
    });
    expect(parseCloudNumberForm(form({}))).toMatchObject({
      ok: false,
      errors: {
        phoneNumberId: 'Required.',
        workspaceId: 'Required.',
        appSecret: 'Required.',
        verifyToken: 'Required.',
      },
    });
  });
});
