// The name is defined beside the custom commands' schema (config checks custom names against it).
export { ROOT_COMMAND } from '../config/custom-commands.js';
