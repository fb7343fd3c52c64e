package io.sealroom.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.NodeExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * Files in the browser: attached with the paperclip, uploaded with progress (and cancelled),
 * sent, previewed and downloaded. In a plain room the bytes go up as they are, with their name
 * and type, and come down as bytes whatever the type (an HTML page is never rendered);
 * in an encrypted room the page seals them chunk by chunk, makes and seals a thumbnail of a
 * picture, and a second member's browser decrypts both: the server never holds the name or a
 * byte of plaintext.
 */
class FilesBrowserIT {
  static final String T = "files";
  static final String MARKER = "SEALROOM-PLAINTEXT-MARKER-5d1e";
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().assuming(Browser::assumeInstalled)
      .config("e2e.minKdfIterations", 1000)
      .file("files.dir", dir -> Files.createDirectories(dir.resolve("files")))
      .build();
  static final Api api = node.api();
  @TempDir
  Path tmp;

  @Test
  void aPlainRoomsFileKeepsItsNameAndDownloadsByteForByteAndPicturesShowInline() throws Exception {
    String alice = Flows.name("alice");
    api.register(alice, "password-" + alice);
    String aliceToken = api.login(alice, "password-" + alice).json().getString("token");
    Api.User bob = api.newUser("bob");
    String rid = api.createRoom(new Api.User(null, alice, aliceToken), "p", "Plain files", List.of(bob.username()));
    byte[] report = SealedFiles.random(300_000);
    Path downloads = Files.createDirectories(tmp.resolve("downloads"));
    try (Browser a = Browser.open("alice", node.baseUrl(), downloads)) {
      a.login(alice, "password-" + alice);
      a.openRoom("Plain files");
      FileFlows.attach(a, FileFlows.write(tmp, "report 2026.pdf", report));
      FileFlows.waitUploaded(a, "report 2026.pdf");
      a.type(By.id("composer-input"), "the report");
      a.screenshot(T, "file-attach");
      a.click(By.id("send-btn"));
      a.waitFor(FileFlows.card("report 2026.pdf"));
      a.waitGone(FileFlows.row("report 2026.pdf"));

      JsonObject sent = FileFlows.last(api, rid, bob);
      assertEquals("the report", sent.getString("text"));
      JsonObject f = sent.getJsonArray("files").getJsonObject(0);
      assertEquals("report 2026.pdf", f.getString("name"), "a plain room's file keeps its name: " + f);
      assertEquals(report.length, f.getLong("size"));
      assertEquals(SealedFiles.sha256(report), f.getString("sha256"));

      a.click(FileFlows.downloadButton("report 2026.pdf"));
      assertArrayEquals(report, FileFlows.waitDownloaded(a, downloads, "report 2026.pdf"));
      a.waitUntil("saved", () -> FileFlows.status(a, "report 2026.pdf").contains("Saved"));

      // a page of HTML is saved as bytes: never as text/html behind a blob: URL of this origin
      FileFlows.attach(a, FileFlows.write(tmp, "page.html",
          "<script>document.title = 'ran'</script>".getBytes(StandardCharsets.UTF_8)));
      FileFlows.waitUploaded(a, "page.html");
      a.click(By.id("send-btn"));
      a.waitFor(FileFlows.card("page.html"));
      assertEquals("text/html", FileFlows.last(api, rid, bob).getJsonArray("files").getJsonObject(0).getString("type"));
      recordObjectUrlTypes(a);
      a.click(FileFlows.downloadButton("page.html"));
      a.waitUntil("page.html saved", () -> FileFlows.status(a, "page.html").contains("Saved"));
      assertEquals(List.of("application/octet-stream"), a.js("return window.objectUrlTypes;"),
          "the Blob types of the object URLs the download made");

      // a picture without text: shown inline, fetched with the token (no <img src> to the API)
      FileFlows.attach(a, FileFlows.write(tmp, "sunset.png", FileFlows.png(640, 400)));
      FileFlows.waitUploaded(a, "sunset.png");
      a.click(By.id("send-btn"));
      a.waitFor(FileFlows.card("sunset.png"));
      assertEquals(640L, ((Number) FileFlows.waitPreview(a, "sunset.png").get("w")).longValue());
      assertFalse(FileFlows.last(api, rid, bob).containsKey("text"), "a message of files alone has no text");
      a.screenshot(T, "plain-picture");
      // only a preview keeps a picture's type (for its <img>): a download of it is bytes too
      recordObjectUrlTypes(a);
      a.click(FileFlows.downloadButton("sunset.png"));
      a.waitUntil("sunset.png saved", () -> FileFlows.status(a, "sunset.png").contains("Saved"));
      assertEquals(List.of("application/octet-stream"), a.js("return window.objectUrlTypes;"));
    }
  }

  @Test
  void filesAreAttachedByDroppingAndPastingAndARemovedUploadIsDeleted() throws Exception {
    String alice = Flows.name("alice");
    api.register(alice, "password-" + alice);
    String aliceToken = api.login(alice, "password-" + alice).json().getString("token");
    Api.User bob = api.newUser("bob");
    String rid = api.createRoom(new Api.User(null, alice, aliceToken), "p", "Dropbox", List.of(bob.username()));
    Axe axe = new Axe(T);
    try (Browser a = Browser.open("alice", node.baseUrl())) {
      a.login(alice, "password-" + alice);
      a.openRoom("Dropbox");
      // the page's DELETEs, to learn which upload a removal gave up
      a.js("window.deleted = []; const f = window.fetch; window.fetch = (u, o) => {"
          + " if (o && o.method === 'DELETE') window.deleted.push(String(u)); return f(u, o); };");

      a.js("const dt = new DataTransfer(); dt.items.add(new File(['dropped on the room'], 'dropped.txt', {type: 'text/plain'}));"
          + " window.dropped = dt; const pane = document.getElementById('room-pane');"
          + " for (const t of ['dragenter', 'dragover']) pane.dispatchEvent(new DragEvent(t, {bubbles: true, cancelable: true, dataTransfer: dt}));");
      a.waitFor(By.id("drop-hint"));
      a.screenshot(T, "file-drop");
      a.js("document.getElementById('messages-wrap').dispatchEvent(new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: window.dropped}));");
      a.waitGone(By.id("drop-hint"));
      FileFlows.waitUploaded(a, "dropped.txt");

      a.driver.executeAsyncScript("const done = arguments[arguments.length - 1]; const c = document.createElement('canvas');"
          + " c.width = 200; c.height = 120; const g = c.getContext('2d'); g.fillStyle = '#3b4bd8'; g.fillRect(0, 0, 200, 120);"
          + " c.toBlob((blob) => { const dt = new DataTransfer(); dt.items.add(new File([blob], 'image.png', {type: 'image/png'}));"
          + " document.getElementById('composer-input').dispatchEvent(new ClipboardEvent('paste', {bubbles: true, cancelable: true, clipboardData: dt}));"
          + " done(); }, 'image/png');");
      FileFlows.waitUploaded(a, "image.png");

      FileFlows.attach(a, FileFlows.write(tmp, "second thoughts.txt", "never mind".getBytes(StandardCharsets.UTF_8)));
      FileFlows.waitUploaded(a, "second thoughts.txt");
      axe.check(a, "attachments");
      a.click(By.cssSelector("button[aria-label='Remove second thoughts.txt']"));
      a.waitGone(FileFlows.row("second thoughts.txt"));
      a.waitUntil("the removed upload was deleted", () -> ((List<?>) a.js("return window.deleted;")).size() == 1);
      String url = (String) ((List<?>) a.js("return window.deleted;")).get(0);
      String fid = url.substring(url.lastIndexOf('/') + 1);
      assertEquals(404, api.get("/api/v1/files/" + fid, aliceToken).status(), "the server let the upload go");

      a.click(By.id("send-btn"));
      a.waitFor(FileFlows.card("dropped.txt"));
      FileFlows.waitPreview(a, "image.png");
      JsonArray files = FileFlows.last(api, rid, bob).getJsonArray("files");
      assertEquals(List.of("dropped.txt", "image.png"), files.stream().map(o -> ((JsonObject) o).getString("name")).toList());
      axe.check(a, "file-cards");
    }
    axe.assertClean();
  }

  @Test
  void anEncryptedRoomsPictureIsPreviewedByAnotherMemberFromItsSealedThumbnail() throws Exception {
    String alice = Flows.name("alice");
    String bob = Flows.name("bob");
    api.register(alice, "password-" + alice);
    api.register(bob, "password-" + bob);
    try (Browser a = Browser.open("alice", node.baseUrl()); Browser b = Browser.open("bob", node.baseUrl())) {
      a.login(alice, "password-" + alice);
      b.login(bob, "password-" + bob);
      Flows.setUp(a);
      Flows.setUp(b);
      Flows.createRoom(a, "p", "Sealed pictures", bob, true);
      a.waitFor(By.cssSelector("#room-head-key .key-icon"));
      FileFlows.attach(a, FileFlows.write(tmp, "harbour.png", FileFlows.png(1280, 800)));
      FileFlows.waitUploaded(a, "harbour.png");
      Flows.send(a, "the harbour at dusk");
      FileFlows.waitPreview(a, "harbour.png");

      b.openRoom("Sealed pictures");
      b.waitFor(Flows.verifiedOnMessage("the harbour at dusk"));
      Map<?, ?> size = FileFlows.waitPreview(b, "harbour.png");
      assertEquals(320L, ((Number) size.get("w")).longValue(), "a thumbnail of at most 320 pixels: " + size);
      assertEquals(200L, ((Number) size.get("h")).longValue(), "with the picture's proportions: " + size);
      assertTrue(b.present(Flows.keyOnMessage("the harbour at dusk")));
      b.screenshot(T, "file-image-preview");

      // the server holds two nameless uploads: the picture and its thumbnail, both ciphertext
      String bobToken = api.login(bob, "password-" + bob).json().getString("token");
      String rid = Flows.roomId(api, bobToken, "Sealed pictures");
      JsonObject m = FileFlows.last(api, rid, new Api.User(null, bob, bobToken));
      assertTrue(m.containsKey("e2e") && !m.containsKey("text"), m.encode());
      JsonArray files = m.getJsonArray("files");
      assertEquals(2, files.size(), "the picture and its thumbnail: " + files.encode());
      for (Object o : files) {
        JsonObject f = (JsonObject) o;
        assertNull(f.getString("name"), "no name on the server: " + f);
        assertNull(f.getString("type"), "no type on the server: " + f);
      }
      assertFalse(m.encode().contains("harbour"), "the name is only in the ciphertext");
    }
  }

  @Test
  void anEncryptedRoomsFileUploadsWithProgressCancelsAndDownloadsDecrypted() throws Exception {
    String alice = Flows.name("alice");
    String bob = Flows.name("bob");
    api.register(alice, "password-" + alice);
    api.register(bob, "password-" + bob);
    byte[] plans = marked(3 * 1024 * 1024 + 123);
    Path downloads = Files.createDirectories(tmp.resolve("bob-downloads"));
    Axe axe = new Axe(T);
    try (Browser a = Browser.open("alice", node.baseUrl()); Browser b = Browser.open("bob", node.baseUrl(), downloads)) {
      a.login(alice, "password-" + alice);
      b.login(bob, "password-" + bob);
      Flows.setUp(a);
      Flows.setUp(b);
      Flows.createRoom(a, "p", "Sealed files", bob, true);
      a.waitFor(By.cssSelector("#room-head-key .key-icon"));

      // a slow network: the upload's progress shows, and Cancel stops it
      FileFlows.throttle(a, 400_000);
      FileFlows.attach(a, FileFlows.write(tmp, "cancel-me.bin", marked(2 * 1024 * 1024)));
      a.waitUntil("uploading", () -> "uploading".equals(a.waitFor(FileFlows.row("cancel-me.bin")).getAttribute("data-phase")));
      a.click(By.cssSelector("button[aria-label='Cancel the upload of cancel-me.bin']"));
      a.waitGone(FileFlows.row("cancel-me.bin"));

      FileFlows.attach(a, FileFlows.write(tmp, "plans.bin", plans));
      a.waitUntil("upload progress", () -> "uploading".equals(a.driver.findElement(FileFlows.row("plans.bin")).getAttribute("data-phase"))
          && progressOf(a, FileFlows.row("plans.bin"), ".attachment-progress") > 0.1);
      a.screenshot(T, "file-progress");
      axe.check(a, "upload-progress");
      FileFlows.throttle(a, 0);
      FileFlows.waitUploaded(a, "plans.bin");
      Flows.send(a, "the plans");

      b.openRoom("Sealed files");
      b.waitFor(Flows.verifiedOnMessage("the plans"));
      FileFlows.throttle(b, 400_000);
      b.click(FileFlows.downloadButton("plans.bin"));
      b.waitUntil("download progress", () -> progressOf(b, FileFlows.card("plans.bin"), ".file-progress") > 0.05);
      b.click(By.cssSelector("button[aria-label='Cancel the download of plans.bin']"));
      b.waitUntil("cancelled", () -> FileFlows.status(b, "plans.bin").contains("Download cancelled"));
      b.click(FileFlows.downloadButton("plans.bin"));
      b.waitUntil("download progress", () -> progressOf(b, FileFlows.card("plans.bin"), ".file-progress") > 0.1);
      b.screenshot(T, "file-download-progress");
      axe.check(b, "download-progress");
      FileFlows.throttle(b, 0);
      assertArrayEquals(plans, FileFlows.waitDownloaded(b, downloads, "plans.bin"));
      b.waitUntil("checked", () -> FileFlows.status(b, "plans.bin").contains("Decrypted and checked"));
      b.screenshot(T, "file-download");

      // the server holds only ciphertext: neither the API nor the files directory has the marker
      String bobToken = api.login(bob, "password-" + bob).json().getString("token");
      String rid = Flows.roomId(api, bobToken, "Sealed files");
      JsonObject m = FileFlows.last(api, rid, new Api.User(null, bob, bobToken));
      String fid = m.getJsonArray("files").getJsonObject(0).getString("id");
      byte[] stored = SealedFiles.download(node.baseUrl(), bobToken, fid);
      assertEquals(plans.length + 49 * SealedFiles.TAG, stored.length, "49 sealed chunks");
      assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains(MARKER));
      assertNoMarkerIn(Path.of(node.config().files().dir()));
      try (Stream<Path> saved = Files.list(downloads)) {
        assertEquals(List.of("plans.bin"), saved.map(p -> p.getFileName().toString()).toList(), "the cancelled download left nothing");
      }
    }
    axe.assertClean();
  }

  /** From now on the page records in window.objectUrlTypes the type of every Blob it makes an object URL of. */
  static void recordObjectUrlTypes(Browser b) {
    b.js("window.objectUrlTypes = []; if (!window.realCreateObjectUrl) window.realCreateObjectUrl = URL.createObjectURL;"
        + " URL.createObjectURL = (blob) => { window.objectUrlTypes.push(blob.type); return window.realCreateObjectUrl.call(URL, blob); };");
  }

  /** Random bytes with the marker text at the start, the middle and the end. */
  static byte[] marked(int n) {
    byte[] b = SealedFiles.random(n);
    byte[] m = MARKER.getBytes(StandardCharsets.US_ASCII);
    for (int at : new int[] {0, n / 2, n - m.length}) {
      System.arraycopy(m, 0, b, at, m.length);
    }
    return b;
  }

  static double progressOf(Browser b, By container, String css) {
    Object v = b.js("const p = arguments[0].querySelector(arguments[1]);"
        + " return p && !p.hidden ? p.value / p.max : 0;", b.driver.findElement(container), css);
    return ((Number) v).doubleValue();
  }

  static void assertNoMarkerIn(Path dir) throws Exception {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        assertFalse(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains(MARKER), "plaintext in " + p);
      }
    }
  }
}
