/** A typed command's options as plain values (a channel option is the channel's id). */
export type OptionValues = Readonly<Record<string, string | number | boolean | undefined>>;

/** The option's text, or null when it was left out. */
export function text(options: OptionValues, name: string): string | null {
  const v = options[name];
  return typeof v === 'string' ? v : null;
}

/** The option's number, or null when it was left out. */
export function num(options: OptionValues, name: string): number | null {
  const v = options[name];
  return typeof v === 'number' ? v : null;
}

/** A slash-command option, declared as data; commands/registry.ts builds Discord's form. */
export type OptionSpec = {
  name: string;
  description: string;
  required?: boolean;
} & (
  | {
      type: 'string';
      maxLength?: number;
      autocomplete?: boolean;
      /** A fixed list to pick from (a bare text is its own name). */
      choices?: readonly (string | { name: string; value: string })[];
    }
  | { type: 'number'; choices?: readonly { name: string; value: number }[] }
  | {
      type: 'integer';
      minValue?: number;
      autocomplete?: boolean;
      choices?: readonly { name: string; value: number }[];
    }
  | { type: 'boolean' }
  /** A server text channel. */
  | { type: 'channel' }
);

/**
 * Options Discord itself would not send (a required one missing, one of another type than
 * declared: a stale registration): thrown, with discord.js' codes, for the router's generic
 * reply.
 */
export class MalformedOption extends TypeError {
  constructor(
    readonly code: 'CommandInteractionOptionNotFound' | 'CommandInteractionOptionType',
    message: string,
  ) {
    super(message);
    this.name = 'MalformedOption';
  }
}

const missing = (name: string) =>
  new MalformedOption('CommandInteractionOptionNotFound', `Required option "${name}" not found.`);

/** A required option's text; Discord always sends one, so a missing one is thrown. */
export function requiredText(options: OptionValues, name: string): string {
  const v = text(options, name);
  if (v === null) throw missing(name);
  return v;
}

/** A required option's number (see requiredText). */
export function requiredNumber(options: OptionValues, name: string): number {
  const v = num(options, name);
  if (v === null) throw missing(name);
  return v;
}
