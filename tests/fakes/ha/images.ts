import { crc32, deflateSync } from 'node:zlib';

/** A valid PNG of one colour: what the fake's cameras and image entities show. */
export function solidPng(width: number, height: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // colour type: RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array(width).fill(rgb).flat())]);
  const pixels = Buffer.concat(Array<Buffer>(height).fill(row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The snapshot every fake camera and image entity serves unless a test says otherwise. */
export const CAMERA_PNG = solidPng(4, 3, [255, 136, 0]);

/** What a test makes the fake answer for one entity's image instead. */
export interface FakeImageResponse {
  status?: number;
  data?: Buffer;
  contentType?: string;
  /** Wait this long before answering (a slow camera). */
  delayMs?: number;
}

/** One request to the fake's REST API, for asserting how the client authenticated. */
export interface RecordedHttpRequest {
  method: string;
  path: string;
  /** The query string, e.g. `?token=…`; '' when none. */
  query: string;
  /** The bearer token was the valid one, another one, or absent. */
  authorization: 'valid' | 'invalid' | 'none';
}

/** Per-entity image answers set by tests, and the REST requests the fake has seen. */
export class FakeImages {
  readonly overrides = new Map<string, FakeImageResponse>();
  readonly requests: RecordedHttpRequest[] = [];
}
