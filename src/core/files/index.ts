/** The shells' entry to the core's file handling: private data folders. */
export { makeNewFilesPrivate, securePrivateFolder, type PrivateFolderReport } from './private-folder';
