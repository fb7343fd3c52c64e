package io.sealroom.client;

import io.sealroom.client.json.JsonArray;
import io.sealroom.client.json.JsonObject;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A Sealroom client: REST calls, one WebSocket with automatic resume, and transparent
 * end-to-end encryption in encrypted rooms. See docs/sdk.md.
 *
 * <pre>{@code
 * try (SealroomClient c = SealroomClient.login("http://localhost:8080", "bot", "secret-pw")) {
 *   c.e2e().unlock(e2ePassword);
 *   c.subscribe(roomId, m -> System.out.println(m.sender().username() + " sent seq " + m.seq()));
 *   c.send(roomId, "hello");
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> Every method is thread-safe and, apart from {@link #sendAsync}, blocking;
 * failures are {@link SealroomException}s carrying the server's error code. Handlers and
 * listeners run on one event thread per client, one call at a time, so a handler may call any
 * method (a blocking send included) but should not block for long: later messages wait behind it.
 * The client's threads are daemon threads; keep your main thread alive while the bot runs.
 */
public final class SealroomClient implements AutoCloseable {
  private final Rest rest;
  private final E2e e2e;
  private final Core core;

  private SealroomClient(String baseUrl, String token, ClientOptions options) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(options.requestTimeout()).build();
    this.rest = new Rest(http, baseUrl, options.requestTimeout(), token);
    this.e2e = new E2e(rest, options.kdfIterations());
    this.core = new Core(http, rest, options, e2e::keys);
    e2e.attach(core);
  }

  /** Creates an account ({@code registration_closed} when the server does not allow it). */
  public static User register(String baseUrl, String username, String password) {
    Rest r = new Rest(HttpClient.newHttpClient(), baseUrl, ClientOptions.defaults().requestTimeout(), null);
    return Wire.user(r.post("/api/v1/auth/register",
        new JsonObject().put("username", username).put("password", password)));
  }

  public static SealroomClient login(String baseUrl, String username, String password) {
    return login(baseUrl, username, password, ClientOptions.defaults());
  }

  /** Logs in and connects; {@code invalid_credentials} or {@code rate_limited} when refused. */
  public static SealroomClient login(String baseUrl, String username, String password, ClientOptions options) {
    Rest r = new Rest(HttpClient.newHttpClient(), baseUrl, options.requestTimeout(), null);
    JsonObject res = r.post("/api/v1/auth/login", new JsonObject().put("username", username).put("password", password));
    return connect(baseUrl, res.getString("token"), options);
  }

  public static SealroomClient connect(String baseUrl, String token) {
    return connect(baseUrl, token, ClientOptions.defaults());
  }

  /** Connects with a token from an earlier login; waits until the socket is authenticated. */
  public static SealroomClient connect(String baseUrl, String token, ClientOptions options) {
    Objects.requireNonNull(token, "token");
    SealroomClient c = new SealroomClient(baseUrl, token, options);
    try {
      Threads.await(c.core.start(), options.requestTimeout().toMillis());
    } catch (SealroomException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** The logged-in user. */
  public User user() {
    return core.user();
  }

  public ConnectionState state() {
    return core.state();
  }

  /** End-to-end keys: setup, unlock, password change, reset. */
  public E2e e2e() {
    return e2e;
  }

  /** Creates a room; the caller becomes its owner. A direct message that exists is returned as is. */
  public Room createRoom(NewRoom spec) {
    return known(Wire.room(rest.post("/api/v1/rooms", Wire.newRoom(spec))));
  }

  /** The user's rooms, newest first, with role and hasKey (no member lists). */
  public List<Room> rooms() {
    return Wire.rooms(rest.get("/api/v1/rooms"));
  }

  /** One room with its members. */
  public Room room(String roomId) {
    return known(Wire.room(rest.get(path(roomId))));
  }

  /** Adds a user (owner only; anyone may add themselves to a public channel). */
  public Room addMember(String roomId, String username) {
    return known(Wire.room(rest.post(path(roomId) + "/members", new JsonObject().put("username", username))));
  }

  /** Removes a member (owner only). In an encrypted room the key is then rotated by a key holder. */
  public void removeMember(String roomId, String userId) {
    rest.delete(path(roomId) + "/members/" + Rest.enc(userId), null);
  }

  /** Leaves the room. */
  public void leave(String roomId) {
    removeMember(roomId, user().id());
  }

  /** Turns encryption on or off (owner only; private groups and direct messages). */
  public Room setEncrypted(String roomId, boolean encrypted) {
    return known(Wire.room(rest.patch(path(roomId), new JsonObject().put("encrypted", encrypted))));
  }

  /** Renames a channel or private group (owner only). */
  public Room rename(String roomId, String name) {
    return known(Wire.room(rest.patch(path(roomId), new JsonObject().put("name", name))));
  }

  /** Looks a user up by exact username. */
  public Optional<User> findUser(String username) {
    JsonArray users = rest.get("/api/v1/users?username=" + Rest.enc(username)).getJsonArray("users", new JsonArray());
    return users.isEmpty() ? Optional.empty() : Optional.of(Wire.user(users.getJsonObject(0)));
  }

  /**
   * Subscribes to the messages stored from now on (after the room's head when this is called),
   * delivered once each, in seq order, across reconnects; encrypted ones decrypted.
   */
  public Subscription subscribe(String roomId, MessageHandler handler) {
    return core.subscribe(roomId, -1, handler);
  }

  /**
   * Subscribes to every message with a seq above {@code since} (0: the whole history), then
   * to live ones. Each message is delivered once, in seq order, across reconnects; encrypted
   * ones decrypted. A message whose key has not reached this user yet is held, with those
   * after it, until the key arrives. One subscription per room: a second replaces the first.
   */
  public Subscription subscribe(String roomId, long since, MessageHandler handler) {
    if (since < 0) {
      throw new IllegalArgumentException("since must be >= 0");
    }
    return core.subscribe(roomId, since, Objects.requireNonNull(handler, "handler"));
  }

  /**
   * Sends and waits for the server's ack. Encrypted rooms get the text encrypted and signed
   * (the room key is fetched or established first). Retries after reconnects and transient
   * refusals reuse the cid, so the message is stored once.
   */
  public Ack send(String roomId, String text) {
    return Threads.await(sendAsync(roomId, text), Long.MAX_VALUE);
  }

  /** As {@link #send}, without blocking; the future fails with a SealroomException. */
  public CompletableFuture<Ack> sendAsync(String roomId, String text) {
    Objects.requireNonNull(roomId, "roomId");
    Objects.requireNonNull(text, "text");
    return core.send(roomId, text);
  }

  /** Closes the socket and stops the client's threads; pending sends fail with "closed". */
  @Override
  public void close() {
    core.close();
  }

  /** Drops the socket as a network failure would (tests of resume). */
  void dropConnection() {
    core.dropConnection();
  }

  private Room known(Room r) {
    core.roomKnown(r);
    return r;
  }

  private static String path(String roomId) {
    return "/api/v1/rooms/" + Rest.enc(roomId);
  }
}
