package io.sealroom.client;

import io.sealroom.client.json.JsonArray;
import io.sealroom.client.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A Sealroom client: REST calls, one WebSocket with automatic resume, and transparent
 * end-to-end encryption in encrypted rooms, and files (uploaded, sent and downloaded streaming,
 * encrypted chunk by chunk in encrypted rooms). See docs/sdk.md.
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
  private static final int FILES_PER_MESSAGE = 10;
  private final Rest rest;
  private final E2e e2e;
  private final Core core;
  private final FileTransfers files;
  private final Identities identities;

  private SealroomClient(String baseUrl, String token, ClientOptions options) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(options.requestTimeout()).build();
    this.rest = new Rest(http, baseUrl, options.requestTimeout(), token);
    this.e2e = new E2e(rest, options.kdfIterations());
    KeyTransparency kt = KeyTransparency.over(rest, options.keyTransparencyState());
    this.identities = new Identities(rest::get, kt, VerifiedContacts.over(rest, e2e::keys, () -> user().id()),
        e2e::keys, this::user);
    this.core = new Core(http, rest, options, e2e::keys, identities);
    this.files = new FileTransfers(http, rest, options.requestTimeout());
    e2e.attach(core, identities);
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

  /**
   * As {@link #send(String, String)}, with options: {@link SendOption#ALLOW_CHANGED_IDENTITIES}
   * sends even though a member's identity changed (without it: {@link IdentityChangedException}).
   */
  public Ack send(String roomId, String text, SendOption... options) {
    return Threads.await(sendAsync(roomId, text, options), Long.MAX_VALUE);
  }

  /** As {@link #send}, without blocking; the future fails with a SealroomException. */
  public CompletableFuture<Ack> sendAsync(String roomId, String text, SendOption... options) {
    Objects.requireNonNull(roomId, "roomId");
    Objects.requireNonNull(text, "text");
    return core.send(roomId, text, List.of(), List.of(options).contains(SendOption.ALLOW_CHANGED_IDENTITIES));
  }

  /**
   * Sends a message with files uploaded to this room ({@link #upload}), and waits for the ack.
   * In a plain room the send names the files' ids; in an encrypted room the encrypted content
   * describes them (name, type, size, key, SHA-256) and the send names their ids, thumbnails
   * included. {@code encryption_changed} when the room was converted since the upload.
   *
   * @param text the text, or null for files only
   * @param uploads 1 to 10 files (thumbnails count), each sent once
   */
  public Ack send(String roomId, String text, List<FileUpload> uploads) {
    return Threads.await(sendAsync(roomId, text, uploads), Long.MAX_VALUE);
  }

  /** As {@link #send(String, String, List)}, without blocking. */
  public CompletableFuture<Ack> sendAsync(String roomId, String text, List<FileUpload> uploads) {
    Objects.requireNonNull(roomId, "roomId");
    List<FileUpload> list = List.copyOf(Objects.requireNonNull(uploads, "uploads"));
    if (text == null && list.isEmpty()) {
      throw new IllegalArgumentException("a message needs a text or files");
    }
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (FileUpload u : list) {
      if (!u.roomId().equals(roomId)) {
        throw new IllegalArgumentException("file " + u.id() + " was uploaded to another room");
      }
      if (!ids.add(u.id()) || u.thumbnail() != null && !ids.add(u.thumbnail().id())) {
        throw new IllegalArgumentException("file " + u.id() + " is named twice");
      }
    }
    if (ids.size() > FILES_PER_MESSAGE) {
      throw new IllegalArgumentException("at most " + FILES_PER_MESSAGE + " files (with thumbnails) per message");
    }
    return core.send(roomId, text, list, false);
  }

  /** Uploads a file and sends it, with a text (may be null), in one call. */
  public Ack sendFile(String roomId, Path file, String text) {
    return send(roomId, text, List.of(upload(roomId, file)));
  }

  /** Uploads a file under its own name; see {@link #upload(String, InputStream, String, String, TransferProgress)}. */
  public FileUpload upload(String roomId, Path file) {
    return upload(roomId, file, null);
  }

  /**
   * Uploads a file under its own name, with the media type the platform guesses (none when it
   * does not know), reporting progress (may be null). The upload has a {@code Content-Length},
   * so a file over the server's limit is refused ({@code too_large}) before it is sent.
   */
  public FileUpload upload(String roomId, Path file, TransferProgress progress) {
    try (InputStream in = Files.newInputStream(file)) {
      String name = file.getFileName().toString();
      return upload(roomId, in, Files.size(file), name, guessType(file), progress);
    } catch (IOException e) {
      throw new SealroomException("io", "could not read " + file.getFileName() + ": " + e.getMessage(), e);
    }
  }

  /** Uploads a stream; see {@link #upload(String, InputStream, String, String, TransferProgress)}. */
  public FileUpload upload(String roomId, InputStream in, String name, String type) {
    return upload(roomId, in, name, type, null);
  }

  /**
   * Uploads a file to a room, to send it with {@link #send(String, String, List)}. It streams:
   * the bytes are read, (in an encrypted room) encrypted chunk by chunk and sent as they come,
   * with one 64 KiB chunk in memory. In a plain room {@code name} and {@code type} go to the
   * server; in an encrypted room they stay in the returned object, for the encrypted message,
   * and the server sees ciphertext only. Blocks until the server stored it, checks that it
   * stored exactly what was sent, and does not close {@code in}.
   *
   * @param name the file name (1 to 255 characters, no control characters, / or \), or null
   * @param type a media type such as {@code image/png}, or null
   * @param progress called with the bytes read so far, total -1; may be null
   * @throws SealroomException {@code too_large}, {@code quota_exceeded}, {@code not_found} (no
   *     such room, or not a member), {@code e2e_locked} (encrypted room, E2E not unlocked),
   *     {@code io}
   */
  public FileUpload upload(String roomId, InputStream in, String name, String type, TransferProgress progress) {
    return upload(roomId, in, -1, name, type, progress);
  }

  private FileUpload upload(String roomId, InputStream in, long size, String name, String type,
      TransferProgress progress) {
    Objects.requireNonNull(roomId, "roomId");
    Objects.requireNonNull(in, "in");
    boolean encrypted = core.encrypted(roomId);
    if (encrypted && !e2e.isUnlocked()) {
      throw new SealroomException("e2e_locked", "set up or unlock E2E before sending into an encrypted room");
    }
    return files.upload(roomId, encrypted, in, size, name, type, progress);
  }

  private static String guessType(Path file) {
    try {
      return FileTransfers.checkType(Files.probeContentType(file));
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }

  /** Downloads a file into {@code target}; see {@link #download(Attachment, Path, TransferProgress)}. */
  public Downloaded download(Attachment file, Path target) {
    return download(file, target, null);
  }

  /**
   * Downloads a file of a message into {@code target}, streaming, and checks it: in an
   * encrypted room every chunk is decrypted and verified, then the size and the SHA-256 of the
   * ciphertext; in a plain room the size and SHA-256 of the bytes. The file goes to a temporary
   * file beside the target (readable by its owner only) and is moved into place only when
   * every check passed; on any failure nothing is left behind and an existing target is kept.
   *
   * @param progress called with the bytes written so far and the file's size; may be null
   * @throws FileVerificationException when the file does not check out (code
   *     {@code file_integrity})
   * @throws SealroomException {@code not_found} (not a member any more, or no such file), {@code io}
   */
  public Downloaded download(Attachment file, Path target, TransferProgress progress) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(target, "target");
    return files.download(file, target, progress);
  }

  /** Downloads a file into a stream; see {@link #download(Attachment, OutputStream, TransferProgress)}. */
  public Downloaded download(Attachment file, OutputStream out) {
    return download(file, out, null);
  }

  /**
   * Downloads a file of a message into {@code out}, streaming, with the checks of
   * {@link #download(Attachment, Path, TransferProgress)}. Bytes are written as they are checked:
   * in an encrypted room each chunk once its tag verified, in a plain room as they arrive. Only
   * the end proves the file complete and unaltered, so <b>when this throws, whatever was written
   * already must be discarded</b>; the output is the file only when this returns. Use the
   * {@link Path} variant to keep nothing of a bad file. {@code out} is not closed.
   */
  public Downloaded download(Attachment file, OutputStream out, TransferProgress progress) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(out, "out");
    return files.download(file, out, progress);
  }

  /**
   * A contact's identity: current key version, the version this user verified, the status
   * ({@code VERIFIED}, {@code UNVERIFIED}, {@code CHANGED}) and the safety number. Reads the
   * verified list afresh (it follows the user across devices) and proves both users' versions in
   * the key-transparency log. Needs E2E unlocked ({@code e2e_locked}).
   *
   * @throws KeyTransparencyException when the log does not prove the keys shown
   */
  public Identity identity(String userId) {
    return identities.identity(Objects.requireNonNull(userId, "userId"));
  }

  /** The safety number of this user and a contact; {@code no_keys} when either has no signing key. */
  public SafetyNumber safetyNumber(String userId) {
    SafetyNumber n = identity(userId).safetyNumber();
    if (n == null) {
      throw new SealroomException("no_keys", "a safety number needs both users' signing keys");
    }
    return n;
  }

  /** Marks the contact's current version verified (once the log proves it) in the verified list. */
  public Identity markVerified(String userId) {
    return changed(identities.markVerified(Objects.requireNonNull(userId, "userId")));
  }

  /** Accepts the contact's changed keys without verifying them: the status becomes UNVERIFIED. */
  public Identity acceptKeyChange(String userId) {
    return changed(identities.acceptKeyChange(Objects.requireNonNull(userId, "userId")));
  }

  /** Withdraws a verification: the contact becomes UNVERIFIED (and a later key change no warning). */
  public Identity unverify(String userId) {
    return changed(identities.acceptKeyChange(Objects.requireNonNull(userId, "userId")));
  }

  private Identity changed(Identity id) {
    core.identitiesChanged(); // members held back from a room key may get it now
    return id;
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
    r.members().forEach(m -> identities.named(m.id(), m.username()));
    return r;
  }

  private static String path(String roomId) {
    return "/api/v1/rooms/" + Rest.enc(roomId);
  }
}
