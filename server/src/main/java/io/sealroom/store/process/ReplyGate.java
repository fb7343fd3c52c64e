package io.sealroom.store.process;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;

/**
 * Holds back the reply to a write command on one client connection of the store process until a
 * commit that started after the write has ended, without blocking the connection's event loop:
 * the reply waits in a queue and the commit thread hands it back to the loop. Replies to reads
 * pass at once, unless an earlier reply on the same connection is still held (replies keep the
 * order of their requests). A failed commit closes the connection instead: the client must not
 * take the write as done.
 * <p>
 * One instance per connection, added to its pipeline by {@link StoreProcessBackend} the first
 * time it handles a write there; everything but the commit callback runs on the connection's
 * event loop.
 */
final class ReplyGate extends ChannelOutboundHandlerAdapter {
  static final String NAME = "sealroom-reply-gate";

  private final CommitLoop commits;
  private final ArrayDeque<Held> held = new ArrayDeque<>();
  /** Set while the backend handles a write; the reply written next belongs to it. */
  private boolean nextNeedsCommit;

  private static final class Held {
    final Object reply;
    final ChannelPromise promise;
    boolean ready;

    Held(Object reply, ChannelPromise promise, boolean ready) {
      this.reply = reply;
      this.promise = promise;
      this.ready = ready;
    }
  }

  ReplyGate(CommitLoop commits) {
    this.commits = commits;
  }

  /** The request being handled is a write: hold its reply for a commit. Event loop only. */
  void holdNextReply() {
    nextNeedsCommit = true;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    boolean needsCommit = nextNeedsCommit;
    nextNeedsCommit = false;
    if (!needsCommit && held.isEmpty()) {
      ctx.write(msg, promise);
      return;
    }
    Held h = new Held(msg, promise, !needsCommit);
    held.add(h);
    if (needsCommit) {
      // the write is applied already (the reply comes after it), so the next commit to start covers it
      commits.afterNextCommit(failure -> onLoop(ctx, () -> committed(ctx, h, failure)));
    }
  }

  private static void onLoop(ChannelHandlerContext ctx, Runnable r) {
    try {
      ctx.executor().execute(r);
    } catch (RejectedExecutionException e) {
      // the event loop is shut down, and the connection with it: nothing to answer
    }
  }

  private void committed(ChannelHandlerContext ctx, Held h, Throwable failure) {
    if (failure != null) {
      for (Held x : held) {
        ReferenceCountUtil.release(x.reply);
        x.promise.tryFailure(failure);
      }
      held.clear();
      ctx.close();
      return;
    }
    h.ready = true;
    boolean wrote = false;
    while (!held.isEmpty() && held.peek().ready) {
      Held x = held.poll();
      ctx.write(x.reply, x.promise);
      wrote = true;
    }
    if (wrote) {
      ctx.flush();
    }
  }
}
