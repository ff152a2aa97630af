// The notices of session events (core/session-events.ts) across every instance sharing one Redis: PUBLISH on one
// channel per store prefix, heard by one subscriber connection per instance, opened at its first event stream. On
// Redis Cluster sharded pub/sub (SPUBLISH / SSUBSCRIBE, Redis 7): the channel lives in one slot, so a notice travels
// within the shard that owns it instead of being broadcast over the whole cluster bus. No keyspace notifications.
import { messageOf } from '../core/errors';
import type { SessionNoticeChannel } from '../core/session-events';

/** The ioredis client (or cluster) of the store, as far as pub/sub needs it. */
type RedisLike = { [command: string]: any };

/** A notice channel on the Redis the store uses; `channel` is the store prefix's channel name. */
export function createRedisNoticeChannel(
  client: () => RedisLike | Promise<RedisLike>,
  channel: string,
  cluster: boolean,
): SessionNoticeChannel {
  return {
    publish: async (notice) => {
      const c = await client();
      return cluster ? c['spublish'](channel, notice) : c['publish'](channel, notice);
    },
    subscribe: async (onNotice) => {
      const main = await client();
      // A subscribed connection can run no other command: a connection of its own, closed with the store's.
      const subscriber: RedisLike = cluster ? main['duplicate']([], { shardedSubscribers: true }) : main['duplicate']();
      subscriber['on']('error', (error: Error) => {
        console.error(`[@analog-tools/session] redis session notices: ${messageOf(error)}`);
      });
      main['once']('end', () => subscriber['disconnect']());
      subscriber['on'](cluster ? 'smessage' : 'message', (from: string, text: string) => {
        if (from === channel) onNotice(text);
      });
      await (cluster ? subscriber['ssubscribe'](channel) : subscriber['subscribe'](channel));
    },
  };
}
