/** The bot's own slash command: `/ha <subcommand>`. Custom commands stand beside it. */
export const ROOT_COMMAND = 'ha';
