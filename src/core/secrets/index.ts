export { SecretBoxError, type SecretBox } from './secret-box';
export { createFileKeySecretBox, SECRETS_KEY_FILE } from './file-key-secret-box';
export { isLoopback, loadOrCreateTokenFile, newToken, tokenMatches, type TokenFile } from './token-file';
