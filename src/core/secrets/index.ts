export { SecretBoxError, type SecretBox } from './secret-box';
export { createFileKeySecretBox, SECRETS_KEY_FILE } from './file-key-secret-box';
