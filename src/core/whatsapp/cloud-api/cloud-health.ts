import type { E164 } from '../../../shared/types';
import type { Logger } from '../../log/logger';
import { normalizePhoneNumber } from '../../phone/normalize-phone-number';
import type { Timers } from '../../timers';
import type { CloudNumberProfile } from './cloud-api-types';
import { closeFor, infoOf, messageOf, type CloudSession } from './cloud-session';
import type { GraphClient } from './graph-client';
import { classifyGraphError } from './graph-errors';

interface PhoneNumberAnswer {
  display_phone_number?: string;
  verified_name?: string;
  quality_rating?: string;
}

const PROFILE_FIELDS = 'display_phone_number,verified_name,quality_rating';

/**
 * Connecting a Cloud API number and keeping it checked: "connected" means the token was accepted by
 * `GET /{phone_number_id}` and keeps being accepted by the periodic health check, which also reads the
 * number's name and quality rating.
 */
export function createCloudHealth(deps: {
  businessNumber: E164;
  phoneNumberId: string;
  graph: GraphClient;
  log: Logger;
  timers: Timers;
  intervalMs: number;
  session: CloudSession;
}) {
  const { businessNumber, graph, log, timers, session } = deps;
  let lastProfile: CloudNumberProfile | null = null;

  const fetchProfile = () => fetchCloudProfile(graph, deps.phoneNumberId, timers);
  function applyProfile(profile: CloudNumberProfile): void {
    logProfile(log, businessNumber, lastProfile, profile);
    lastProfile = profile;
  }

  function scheduleHealth(mine: number): void {
    if (deps.intervalMs <= 0) return;
    session.setHealthTimer(
      timers.setTimeout(() => {
        session.setHealthTimer(null);
        void checkHealth(mine);
      }, deps.intervalMs),
    );
  }

  async function checkHealth(mine: number): Promise<void> {
    if (!session.isCurrent(mine) || !session.isOpen()) return;
    try {
      const profile = await fetchProfile();
      if (!session.isCurrent(mine)) return;
      applyProfile(profile);
    } catch (error) {
      if (!session.isCurrent(mine)) return;
      const verdict = classifyGraphError(infoOf(error));
      if (verdict === 'credentials' || verdict === 'restricted') {
        session.close(mine, closeFor(graph, verdict, error, false));
        return;
      }
      // The network or Meta having a bad minute: the liveness ping decides whether the number is down.
      log.warn('cloud.health', `${businessNumber}: health check failed: ${messageOf(graph, error)}`, {
        code: infoOf(error).code,
        verdict,
      });
    }
    scheduleHealth(mine);
  }

  async function connect(): Promise<void> {
    const mine = session.begin();
    session.emit('status', { state: 'connecting' });
    let profile: CloudNumberProfile;
    try {
      profile = await fetchProfile();
    } catch (error) {
      const verdict = classifyGraphError(infoOf(error));
      session.close(mine, closeFor(graph, verdict, error, true));
      return;
    }
    if (!session.isCurrent(mine)) return; // a newer connect or a disconnect won the race
    applyProfile(profile);
    session.markOpen();
    log.info(
      'connection.opened',
      `${businessNumber}: Cloud API number ${profile.verifiedName ?? ''} verified`,
      {
        verifiedName: profile.verifiedName,
        qualityRating: profile.qualityRating,
      },
    );
    // The connection manager compares it with the number it expects, as after a QR scan.
    if (profile.displayNumber !== null) session.emit('paired', { ownNumber: profile.displayNumber });
    if (!session.isCurrent(mine)) return;
    session.emit('status', { state: 'open', isNewLogin: false });
    scheduleHealth(mine);
  }

  return { connect, profile: (): CloudNumberProfile | null => lastProfile };
}

/** `GET /{phone_number_id}`: the number's display number, verified name and quality rating. */
async function fetchCloudProfile(
  graph: GraphClient,
  phoneNumberId: string,
  timers: Timers,
): Promise<CloudNumberProfile> {
  const answer = await graph.get<PhoneNumberAnswer>(`/${phoneNumberId}`, { fields: PROFILE_FIELDS });
  const display = answer.display_phone_number ?? '';
  const normalized = display === '' ? null : normalizePhoneNumber(display, 'NG');
  return {
    displayPhoneNumber: display,
    displayNumber: normalized?.ok === true ? normalized.value : null,
    verifiedName: answer.verified_name ?? null,
    qualityRating: answer.quality_rating ?? null,
    checkedAt: timers.now(),
  };
}

function logProfile(
  log: Logger,
  businessNumber: E164,
  last: CloudNumberProfile | null,
  profile: CloudNumberProfile,
): void {
  const before = last?.qualityRating ?? null;
  if (before !== null && before !== profile.qualityRating) {
    // Meta lowers a number's limits, then may restrict it, as its quality drops: the owner should know.
    log.log(
      profile.qualityRating === 'GREEN' ? 'info' : 'warn',
      'cloud.quality',
      `${businessNumber}: quality rating ${before} -> ${profile.qualityRating}`,
      { from: before, to: profile.qualityRating },
    );
  }
  log.debug('cloud.health', `${businessNumber}: ${profile.verifiedName} (${profile.qualityRating})`, {
    verifiedName: profile.verifiedName,
    qualityRating: profile.qualityRating,
  });
}
