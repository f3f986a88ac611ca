import type { APIEmbed } from 'discord.js';
import type { CustomId } from './custom-id.js';

/**
 * A message as data: what commands return and src/discord renders (render.ts). Commands
 * never build discord.js objects, so their logic is tested with plain objects.
 */
export type EmbedData = APIEmbed;

export interface ButtonData {
  id: CustomId;
  label: string;
  style?: 'primary' | 'secondary' | 'danger';
}

export interface FileData {
  name: string;
  data: Buffer;
  description?: string;
}

export interface MessageData {
  content?: string;
  embeds?: readonly EmbedData[];
  /** One row of buttons (at most 5; those whose id would not fit are left out). */
  buttons?: readonly ButtonData[];
  files?: readonly FileData[];
  /** Only the person who asked sees it. */
  private?: boolean;
}
