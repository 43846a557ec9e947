// The command-line helper the shells (host, central server, release tool) share.
export { parseOptions } from './parse-options';
