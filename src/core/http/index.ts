// The HTTP request-body reader the shells (host, central server) share.
export { readBody, type Body } from './read-body';
