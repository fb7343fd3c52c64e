package io.sealroom.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.client.crypto.E2ePassword;
import io.sealroom.client.crypto.Envelope;
import io.sealroom.client.crypto.KeyWrap;
import io.sealroom.client.crypto.MemberKey;
import io.sealroom.client.crypto.PrivateKeys;
import io.sealroom.testing.Api;
import io.sealroom.testing.NodeExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * Encrypted files the browser must refuse. A sender written in Java (the JDK's AES-GCM, not the
 * page's code) shares an encrypted room with a browser: its honest file downloads byte for byte,
 * and every file that was tampered with (a flipped bit, a chunk cut off, chunks swapped, an
 * upload other than the one described) shows the integrity error, stops its download there and
 * is never saved. A file the browser itself sent, corrupted on the server's disk, is refused too.
 * A name with bidirectional controls, which only the ciphertext carries, shows without them.
 */
class TamperedFilesBrowserIT {
  static final String T = "tampered-files";
  static final int ITER = 1000;
  static final String INTEGRITY = "This file failed its integrity check and was not downloaded";
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().assuming(Browser::assumeInstalled)
      .config("e2e.minKdfIterations", ITER)
      .file("files.dir", dir -> Files.createDirectories(dir.resolve("files")))
      .build();
  static final Api api = node.api();
  @TempDir
  Path tmp;

  @Test
  void theBrowserSavesAnHonestFileAndRefusesEveryTamperedOne() throws Exception {
    String alice = Flows.name("alice");
    api.register(alice, "password-" + alice);
    Api.User bot = api.newUser("javabot");
    PrivateKeys botKeys = PrivateKeys.generate();
    JsonObject keys = new JsonObject().put("publicKey", new JsonObject(botKeys.publicJwk()))
        .put("privateKey", new JsonObject(KeyWrap.wrap(E2ePassword.generate().toCharArray(), botKeys.toJson(), ITER)))
        .put("signingKey", new JsonObject(botKeys.signingJwk()));
    assertEquals(200, api.call("PUT", "/api/v1/e2e/keys", bot.token(), keys.encode()).status());
    Path downloads = Files.createDirectories(tmp.resolve("downloads"));
    try (Browser a = Browser.open("alice", node.baseUrl(), downloads)) {
      a.login(alice, "password-" + alice);
      Flows.setUp(a);
      Flows.createRoom(a, "p", "Tampering", bot.username(), true);
      a.waitFor(By.cssSelector("#room-head-key .key-icon"));
      String rid = Flows.roomId(api, bot.token(), "Tampering");
      a.waitUntil("the browser handed the key to the Java member",
          () -> api.get("/api/v1/rooms/" + rid + "/e2e/key", bot.token()).status() == 200);
      JsonObject held = api.get("/api/v1/rooms/" + rid + "/e2e/key", bot.token()).json();
      byte[] roomKey = MemberKey.unwrap(held.getJsonObject("key").encode(), botKeys.rsaPrivate(), held.getString("kid"));
      Sender java = new Sender(bot, botKeys, roomKey, rid);
      recordCancelledDownloads(a);

      // honest: a file sealed in Java opens in the browser, byte for byte
      byte[] good = SealedFiles.random(200_000);
      SealedFiles.Sealed sealed = SealedFiles.seal(good);
      java.send("an honest file", sealed, sealed.upload(), "good.bin");
      a.waitFor(Flows.verifiedOnMessage("an honest file"));
      a.click(FileFlows.downloadButton("good.bin"));
      assertArrayEquals(good, FileFlows.waitDownloaded(a, downloads, "good.bin"));

      // a name with bidirectional controls ("invoice", RIGHT-TO-LEFT OVERRIDE, "fdp.exe" reads
      // "invoiceexe.pdf") shows without them; the server could not have refused it, it is encrypted
      java.send("a misleading name", sealed, sealed.upload(), "invoice\u202Efdp.exe");
      a.waitFor(Flows.verifiedOnMessage("a misleading name"));
      assertEquals("invoicefdp.exe", a.driver.findElement(By.xpath("//li[contains(@class,'msg')]"
          + "[.//p[@class='msg-text' and normalize-space()='a misleading name']]//span[@class='file-name']")).getText());
      String bidi = "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C";
      assertEquals(List.of("ab.txt", "file", "a_b.txt", "\u05E9\u05DC\u05D5\u05DD \u0645\u0631\u062D\u0628\u0627.txt"),
          a.driver.executeAsyncScript("const names = arguments[0]; const done = arguments[arguments.length - 1];"
              + " import('/js/files.js').then((m) => done(names.map(m.cleanName)), (e) => done(String(e)));",
              List.of("a" + bidi + "b.txt", bidi, "a/" + bidi + "b.txt",
                  "\u05E9\u05DC\u05D5\u05DD \u0645\u0631\u062D\u0628\u0627.txt")),
          "cleanName removes every bidirectional control, and keeps right-to-left letters");

      // tampered: each upload's descriptor names its real sha256 (and size), so only the chunks can tell
      byte[] plain = SealedFiles.random(3 * SealedFiles.CHUNK - 1000);
      SealedFiles.Sealed s = SealedFiles.seal(plain);
      byte[] flipped = s.upload().clone();
      flipped[SealedFiles.SEALED + 10] ^= 1;
      byte[] cut = Arrays.copyOf(s.upload(), 2 * SealedFiles.SEALED);
      byte[] swapped = s.upload().clone();
      System.arraycopy(s.upload(), SealedFiles.SEALED, swapped, 0, SealedFiles.SEALED);
      System.arraycopy(s.upload(), 0, swapped, SealedFiles.SEALED, SealedFiles.SEALED);
      java.send("a flipped bit", s.withUpload(flipped), flipped, "flipped.bin");
      java.send("a chunk cut off", new SealedFiles.Sealed(s.key(), s.prefix(), cut, 2L * SealedFiles.CHUNK), cut, "cut.bin");
      java.send("two chunks swapped", s.withUpload(swapped), swapped, "swapped.bin");
      // substituted: the descriptor describes the honest upload, the server holds other bytes
      java.send("another upload", s, flipped, "substituted.bin");
      for (String name : List.of("flipped.bin", "cut.bin", "swapped.bin", "substituted.bin")) {
        a.waitFor(FileFlows.card(name));
        a.click(FileFlows.downloadButton(name));
        a.waitUntil(name + " refused", () -> FileFlows.status(a, name).contains(INTEGRITY));
        assertTrue(a.present(By.xpath("//li[contains(@class,'file-card') and contains(@class,'tampered')]"
            + "[.//span[@class='file-name' and normalize-space()='" + name + "']]")), name);
      }
      // a chunk that does not open stops the download there: the response's stream is cancelled
      for (String name : List.of("flipped.bin", "swapped.bin")) {
        assertTrue(cancelledDownloads(a).contains(fid(a, name)), name + "'s download was not cancelled: " + cancelledDownloads(a));
      }
      assertFalse(cancelledDownloads(a).contains(fid(a, "good.bin")), "the honest download ran to its end");
      a.js("arguments[0].scrollIntoView({block: 'center'});", a.driver.findElement(FileFlows.card("flipped.bin")));
      a.screenshot(T, "file-tampered");
      Axe axe = new Axe(T);
      axe.check(a, "tampered");
      axe.assertClean();

      // the browser's own upload, corrupted on the server's disk
      byte[] mine = SealedFiles.random(150_000);
      FileFlows.attach(a, FileFlows.write(tmp, "mine.bin", mine));
      FileFlows.waitUploaded(a, "mine.bin");
      Flows.send(a, "rotting on disk");
      a.waitFor(FileFlows.card("mine.bin"));
      JsonObject m = FileFlows.last(api, rid, bot);
      corruptOnDisk(m.getJsonArray("files").getJsonObject(0).getString("sha256"));
      a.click(FileFlows.downloadButton("mine.bin"));
      a.waitUntil("mine.bin refused", () -> FileFlows.status(a, "mine.bin").contains(INTEGRITY));
      assertTrue(cancelledDownloads(a).contains(fid(a, "mine.bin")), "mine.bin's download was not cancelled");

      Thread.sleep(500); // a download that was wrongly offered would be saved by now
      try (Stream<Path> saved = Files.list(downloads)) {
        assertEquals(List.of("good.bin"), saved.map(p -> p.getFileName().toString()).toList(),
            "nothing that failed a check was saved");
      }
    }
  }

  /**
   * From now on the page's downloads of files come through a stream that records in
   * window.cancelledDownloads the file id of every download whose reader cancelled it.
   */
  static void recordCancelledDownloads(Browser b) {
    b.js("window.cancelledDownloads = []; const f = window.fetch; window.fetch = async (u, o) => {"
        + " const res = await f(u, o); const m = /^\\/api\\/v1\\/files\\/([A-Za-z0-9]+)$/.exec(String(u));"
        + " if (!m || (o && o.method) || !res.ok || !res.body) return res;"
        + " const reader = res.body.getReader();"
        + " const body = new ReadableStream({"
        + "   async pull(c) { const { done, value } = await reader.read(); if (done) c.close(); else c.enqueue(value); },"
        + "   cancel(why) { window.cancelledDownloads.push(m[1]); return reader.cancel(why); } }, { highWaterMark: 0 });"
        + " return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers }); };");
  }

  static List<?> cancelledDownloads(Browser b) {
    return (List<?>) b.js("return window.cancelledDownloads;");
  }

  /** The file id of the card with this name. */
  static String fid(Browser b, String name) {
    return b.driver.findElement(FileFlows.card(name)).getAttribute("data-fid");
  }

  /** Flips a bit in the middle of the stored file with this sha256, wherever the node keeps it. */
  static void corruptOnDisk(String sha256) throws Exception {
    try (Stream<Path> all = Files.walk(Path.of(node.config().files().dir()))) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        byte[] b = Files.readAllBytes(p);
        if (SealedFiles.sha256(b).equals(sha256)) {
          b[b.length / 2] ^= 1;
          Files.write(p, b);
          return;
        }
      }
    }
    throw new AssertionError("no stored file has the sha256 " + sha256);
  }

  /** The Java member: uploads bytes and sends a signed message that describes them. */
  record Sender(Api.User user, PrivateKeys keys, byte[] roomKey, String rid) {
    void send(String text, SealedFiles.Sealed described, byte[] uploaded, String name) {
      JsonObject f = SealedFiles.upload(node.baseUrl(), user.token(), rid, uploaded, "");
      JsonObject content = new JsonObject().put("text", text)
          .put("files", new JsonArray().add(described.descriptor(f.getString("id"), name, "application/octet-stream")));
      String cid = "java-" + name.replaceAll("[^A-Za-z0-9._:-]", "_");
      Envelope.Sealed e2e = Envelope.seal(roomKey, rid, user.id(), cid, content.encode(), keys.signingPrivate());
      Api.Res r = api.post("/api/v1/rooms/" + rid + "/messages", user.token(), new JsonObject().put("cid", cid)
          .put("e2e", new JsonObject(e2e.toJson())).put("files", new JsonArray().add(f.getString("id"))));
      assertEquals(201, r.status(), r.raw());
    }
  }
}
