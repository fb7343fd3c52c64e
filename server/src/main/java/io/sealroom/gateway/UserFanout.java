package io.sealroom.gateway;

import io.sealroom.auth.SessionGuard;
import io.sealroom.common.Addresses;
import io.sealroom.users.UserStore;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;

/**
 * One gateway instance's registry of users to their sessions on this instance's sockets, with
 * one bus consumer per user that has any: an event addressed to a user (a room changed, a key
 * is needed or was handed over, the user's sessions ended) arrives once per instance and is
 * handed to each of the user's sessions here, in the order they authenticated. Confined to its
 * instance's event loop.
 */
final class UserFanout {
  private final SessionGuard sessions;
  private final LocalRegistry<UserFrame, WsSession> registry;

  UserFanout(EventBus bus, SessionGuard sessions, GatewayMetrics metrics) {
    this.sessions = sessions;
    this.registry = new LocalRegistry<>(bus, Addresses::user, WsSession[]::new, this::deliver, metrics.userConnections);
  }

  /** Adds an authenticated session; completes once the user's consumer is registered. */
  Future<Void> add(String uid, WsSession session) {
    return registry.add(uid, session);
  }

  void remove(String uid, WsSession session) {
    registry.remove(uid, session);
  }

  private void deliver(String uid, WsSession[] members, UserFrame f) {
    if (f.endSessionsBut() != null) {
      // once per frame, before any socket closes: the cut-off may reach this node's session guard
      // after this frame (it also travels on another address)
      sessions.ended(uid, new UserStore.SessionCutoff(f.validAfterMs(), f.endSessionsBut()));
    }
    for (WsSession session : members) {
      session.onUserFrame(f);
    }
  }
}
