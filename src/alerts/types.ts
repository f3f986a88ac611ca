/** One alert, as the dispatcher hands it to whatever delivers it. */
export interface Alert {
  /** Unique per alert; doubles as Discord's message nonce so a resend cannot duplicate it. */
  id: string;
  entityId: string;
  name: string;
  areaName: string | undefined;
  from: string;
  to: string;
  unit: string | undefined;
  /** Epoch seconds of the change in HA. */
  at: number;
}

/** A notice about the bridge itself (e.g. HA rejected the token), for the alert channel. */
export interface Notice {
  id: string;
  title: string;
  text: string;
}

export interface AlertSink {
  enqueue(alert: Alert): void;
  notice(notice: Notice): void;
}
