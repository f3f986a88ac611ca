/** Why Discord refused a message, in words that say what to do (else the error's message). */
export function describeDeliveryError(error: unknown): string {
  const status = (error as { status?: number }).status;
  if ((error as { code?: unknown }).code === 50007) {
    return 'Discord refuses a direct message to this user: they share no server with the bot, or do not accept DMs from its members (Privacy Settings of the server)';
  }
  if ((error as { code?: unknown }).code === 50083) {
    return 'the thread is archived and locked: a moderator must unlock it (or use another thread name)';
  }
  if (status === 403) {
    return 'the bot lacks permission in the channel (it needs View Channel, Send Messages, Embed Links and, for pictures, Attach Files)';
  }
  if (status === 404) return 'the channel does not exist (check the channel id)';
  return error instanceof Error ? error.message : String(error);
}
