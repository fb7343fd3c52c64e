package io.sealroom.client.examples;

import io.sealroom.client.Attachment;
import io.sealroom.client.ChatMessage;
import io.sealroom.client.ClientListener;
import io.sealroom.client.ClientOptions;
import io.sealroom.client.Downloaded;
import io.sealroom.client.E2eStatus;
import io.sealroom.client.FileVerificationException;
import io.sealroom.client.Room;
import io.sealroom.client.SealroomClient;
import io.sealroom.client.SealroomException;
import io.sealroom.client.Subscription;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A bot that echoes every message of its rooms back into the same room, encrypted where the
 * room is encrypted. It follows the rooms it is added to while it runs. A message with files is
 * answered with one line per file, {@code <name>: <size> bytes, sha256 <hex>} of the plaintext,
 * after the bot downloaded and verified it (streaming: it never holds a whole file).
 *
 * <pre>
 * java -cp target/sealroom.jar io.sealroom.client.examples.EchoBot URL USER PASSWORD [E2E_PASSWORD]
 * </pre>
 *
 * Without an E2E password, a bot that has no keys yet sets them up and writes the generated
 * password to {@code USER.e2e-password} (readable by its owner only): keep it to restart the
 * bot. It never prints message text, keys, passwords or tokens.
 */
public final class EchoBot implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(EchoBot.class.getName());

  private final SealroomClient client;
  private final Map<String, Subscription> subscriptions = new HashMap<>();
  private final ExecutorService downloads = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "echo-bot-downloads");
    t.setDaemon(true);
    return t;
  });

  private EchoBot(SealroomClient client) {
    this.client = client;
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 3 || args.length > 4) {
      System.err.println("usage: EchoBot <url> <user> <password> [e2ePassword]");
      System.exit(2);
    }
    try (EchoBot bot = start(args[0], args[1], args[2], args.length == 4 ? args[3] : null, ClientOptions.defaults())) {
      System.out.println("echo bot " + bot.client.user().username() + " is running; Ctrl-C stops it");
      new CountDownLatch(1).await();
    }
  }

  /** Logs in, sets up or unlocks E2E, subscribes to every room of the user and starts echoing. */
  public static EchoBot start(String url, String user, String password, String e2ePassword, ClientOptions options)
      throws IOException {
    EchoBot[] self = new EchoBot[1];
    ClientListener follow = new ClientListener() {
      @Override
      public void onRoomChanged(Room room) {
        if (self[0] != null) {
          self[0].follow(room.id(), 0);
        }
      }
    };
    SealroomClient client = SealroomClient.login(url, user, password, options.withListener(follow));
    EchoBot bot = new EchoBot(client);
    try {
      bot.unlock(e2ePassword);
      self[0] = bot;
      for (Room room : client.rooms()) {
        bot.follow(room.id(), -1);
      }
    } catch (IOException | RuntimeException e) {
      client.close();
      throw e;
    }
    return bot;
  }

  private void unlock(String e2ePassword) throws IOException {
    E2eStatus status = client.e2e().status();
    if (!status.enabled()) {
      return;
    }
    if (e2ePassword != null) {
      client.e2e().unlock(e2ePassword);
    } else if (!status.hasKeys()) {
      String generated = client.e2e().setup();
      Path file = Path.of(client.user().username() + ".e2e-password");
      Files.writeString(file, generated + System.lineSeparator(), StandardCharsets.UTF_8,
          StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      restrict(file);
      System.out.println("E2E set up; the E2E password was written to " + file.toAbsolutePath());
    } else {
      LOG.warning("this user has E2E keys: pass the E2E password to read encrypted rooms");
    }
  }

  private static void restrict(Path file) {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException | IOException e) {
      LOG.warning("could not restrict the permissions of " + file);
    }
  }

  /** Subscribes to a room once: live only for the rooms found at start, all of it for rooms joined later. */
  private synchronized void follow(String roomId, long since) {
    Subscription existing = subscriptions.get(roomId);
    if (existing != null && existing.isActive()) {
      return;
    }
    try {
      Subscription s = since < 0 ? client.subscribe(roomId, this::echo) : client.subscribe(roomId, since, this::echo);
      subscriptions.put(roomId, s);
    } catch (SealroomException e) {
      // a room we were removed from also announces itself
      LOG.log(Level.FINE, "not following room {0}: {1}", new Object[] {roomId, e.code()});
    }
  }

  private void echo(ChatMessage m) {
    // timeline events (joins, renames, key changes) are not messages: never echoed
    if (m.isEvent() || m.sender().id().equals(client.user().id())) {
      return;
    }
    if (m.hasFiles()) {
      // downloads take a while: off the client's event thread, so later messages are not held up
      downloads.execute(() -> reply(m.roomId(), describe(m.files())));
    }
    if (m.readable()) {
      reply(m.roomId(), m.text());
    }
  }

  private void reply(String roomId, String text) {
    client.sendAsync(roomId, text).whenComplete((ack, e) -> {
      if (e != null) {
        LOG.log(Level.WARNING, "echo into room {0} failed: {1}", new Object[] {roomId, e.getMessage()});
      }
    });
  }

  /**
   * One line per file: "name: size bytes, sha256 hex" of the plaintext, after downloading and
   * checking it, streaming (nothing is kept); or why it could not be checked.
   */
  private String describe(List<Attachment> files) {
    StringBuilder out = new StringBuilder();
    for (Attachment f : files) {
      String name = f.name() != null ? f.name() : f.id();
      if (out.length() > 0) {
        out.append('\n');
      }
      try {
        Downloaded d = client.download(f, OutputStream.nullOutputStream());
        out.append(name).append(": ").append(d.size()).append(" bytes, sha256 ").append(d.sha256());
      } catch (FileVerificationException e) {
        out.append(name).append(": does not verify (").append(e.failure().code()).append(')');
      } catch (SealroomException e) {
        out.append(name).append(": could not be downloaded (").append(e.code()).append(')');
      }
    }
    return out.toString();
  }

  /** The bot's client (its user, rooms, state). */
  public SealroomClient client() {
    return client;
  }

  @Override
  public void close() {
    downloads.shutdownNow();
    client.close();
  }
}
