import {
  channelPermissions,
  INVITE_PERMISSIONS,
  missingPermissions,
  NEEDED_FOR_PICTURES,
  PERMISSIONS,
  type PermissionInput,
} from '../../../src/doctor/permissions.js';

const GUILD = '100000000000000000';
const BOT = '200000000000000000';
const ROLE = '300000000000000000';
const { ViewChannel, SendMessages, EmbedLinks, Administrator } = PERMISSIONS;
const str = (n: bigint) => n.toString();

function input(over: Partial<PermissionInput> = {}): PermissionInput {
  return {
    guildId: GUILD,
    ownerId: '999999999999999999',
    userId: BOT,
    roles: new Map([
      [GUILD, str(ViewChannel | SendMessages)],
      [ROLE, str(EmbedLinks)],
    ]),
    memberRoles: [ROLE],
    overwrites: [],
    ...over,
  };
}

describe('channelPermissions', () => {
  it('combines @everyone with the member roles', () => {
    expect(missingPermissions(channelPermissions(input()))).toEqual([]);
    expect(missingPermissions(channelPermissions(input({ memberRoles: [] })))).toEqual([
      'Embed Links',
    ]);
  });

  it('applies @everyone, then role (deny before allow), then member overwrites', () => {
    const denyEveryone = { id: GUILD, type: 0, allow: '0', deny: str(SendMessages) };
    expect(missingPermissions(channelPermissions(input({ overwrites: [denyEveryone] })))).toEqual([
      'Send Messages',
    ]);
    const allowRole = { id: ROLE, type: 0, allow: str(SendMessages), deny: '0' };
    expect(
      missingPermissions(channelPermissions(input({ overwrites: [denyEveryone, allowRole] }))),
    ).toEqual([]);
    const denyMember = { id: BOT, type: 1, allow: '0', deny: str(EmbedLinks) };
    expect(
      missingPermissions(
        channelPermissions(input({ overwrites: [denyEveryone, allowRole, denyMember] })),
      ),
    ).toEqual(['Embed Links']);
  });

  it('takes everything away without View Channel', () => {
    const hidden = { id: GUILD, type: 0, allow: '0', deny: str(ViewChannel) };
    expect(missingPermissions(channelPermissions(input({ overwrites: [hidden] })))).toEqual([
      'View Channel',
      'Send Messages',
      'Embed Links',
    ]);
  });

  it('gives administrators and the owner everything, overwrites or not', () => {
    const hidden = { id: GUILD, type: 0, allow: '0', deny: str(ViewChannel) };
    const admin = input({
      roles: new Map([
        [GUILD, '0'],
        [ROLE, str(Administrator)],
      ]),
      overwrites: [hidden],
    });
    expect(missingPermissions(channelPermissions(admin))).toEqual([]);
    expect(
      missingPermissions(channelPermissions(input({ ownerId: BOT, overwrites: [hidden] }))),
    ).toEqual([]);
  });
});

describe('what the bot needs', () => {
  it('needs Attach Files where pictures go, and the invite link asks for it', () => {
    const { ViewChannel, SendMessages, EmbedLinks, AttachFiles } = PERMISSIONS;
    const noFiles = ViewChannel | SendMessages | EmbedLinks;
    expect(missingPermissions(noFiles)).toEqual([]);
    expect(missingPermissions(noFiles, NEEDED_FOR_PICTURES)).toEqual(['Attach Files']);
    expect(missingPermissions(noFiles | AttachFiles, NEEDED_FOR_PICTURES)).toEqual([]);
    // View Channel 1024 + Send Messages 2048 + Embed Links 16384 + Attach Files 32768.
    expect(INVITE_PERMISSIONS).toBe(52224n);
  });
});
