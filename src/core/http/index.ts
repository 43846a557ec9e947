// The HTTP helpers the shells (host, central server) share: reading a request's body, listening.
export { readBody, type Body } from './read-body';
export { listenOn, type HttpService } from './listen';
