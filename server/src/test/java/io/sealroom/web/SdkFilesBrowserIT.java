package io.sealroom.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.client.Attachment;
import io.sealroom.client.ChatMessage;
import io.sealroom.client.ClientOptions;
import io.sealroom.client.FileUpload;
import io.sealroom.client.NewRoom;
import io.sealroom.client.Room;
import io.sealroom.client.SealroomClient;
import io.sealroom.testing.Api;
import io.sealroom.testing.NodeExtension;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encrypted files between Chromium and the Java SDK, both ways, in one encrypted room: what the
 * page seals (a file and a picture with its canvas-made thumbnail) the SDK downloads, checks and
 * decrypts byte for byte, and what the SDK seals (a file, and a picture with a thumbnail made in
 * Java) the page opens, checks and previews.
 */
class SdkFilesBrowserIT {
  static final String T = "sdk-files";
  static final int ITER = 1000;
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().assuming(Browser::assumeInstalled)
      .config("e2e.minKdfIterations", ITER)
      .file("files.dir", dir -> Files.createDirectories(dir.resolve("files")))
      .build();
  static final Api api = node.api();
  @TempDir
  Path tmp;

  @Test
  void theBrowserAndTheSdkOpenEachOthersEncryptedFiles() throws Exception {
    String alice = "alice-" + UUID.randomUUID().toString().substring(0, 6);
    String botName = "filebot-" + UUID.randomUUID().toString().substring(0, 6);
    api.register(alice, "password-" + alice);
    SealroomClient.register(node.baseUrl(), botName, "password-" + botName);
    BlockingQueue<ChatMessage> inbox = new LinkedBlockingQueue<>();
    Path downloads = Files.createDirectories(tmp.resolve("downloads"));
    try (Browser a = Browser.open("alice", node.baseUrl(), downloads);
        SealroomClient bot = SealroomClient.login(node.baseUrl(), botName, "password-" + botName,
            ClientOptions.defaults().withKdfIterations(ITER))) {
      bot.e2e().setup();
      a.login(alice, "password-" + alice);
      Flows.setUp(a);
      Room room = bot.createRoom(NewRoom.privateGroup("Files both ways", alice).encrypted(true));
      bot.subscribe(room.id(), 0, inbox::add);
      bot.send(room.id(), "hello from the sdk");
      a.waitFor(a.roomItem("Files both ways"));
      a.openRoom("Files both ways");
      a.waitFor(Flows.verifiedOnMessage("hello from the sdk"));

      // browser -> SDK: a file and a picture, sealed in the page
      byte[] plans = FilesBrowserIT.marked(300_000);
      byte[] picture = FileFlows.png(960, 480);
      FileFlows.attach(a, FileFlows.write(tmp, "plans.bin", plans));
      FileFlows.attach(a, FileFlows.write(tmp, "harbour.png", picture));
      FileFlows.waitUploaded(a, "plans.bin");
      FileFlows.waitUploaded(a, "harbour.png");
      Flows.send(a, "files from the browser");
      ChatMessage got = SdkInteropBrowserIT.next(inbox, "files from the browser");
      assertTrue(got.encrypted() && got.verified(), got.toString());
      assertEquals(2, got.files().size(), got.toString());
      Attachment bin = got.files().get(0);
      Attachment png = got.files().get(1);
      assertEquals("plans.bin", bin.name());
      assertNull(bin.thumbnail(), "no thumbnail for a file that is not a picture");
      assertArrayEquals(plans, downloadWithSdk(bot, bin));
      assertEquals("harbour.png", png.name());
      assertEquals("image/png", png.type());
      assertArrayEquals(picture, downloadWithSdk(bot, png));
      Attachment thumb = png.thumbnail();
      assertNotNull(thumb, "the page made a thumbnail");
      assertEquals(320, thumb.width());
      assertEquals(160, thumb.height());
      BufferedImage small = ImageIO.read(new ByteArrayInputStream(downloadWithSdk(bot, thumb)));
      assertEquals(320, small.getWidth(), "the thumbnail the page drew and sealed is a 320-pixel JPEG");

      // SDK -> browser: a file, and a picture with a thumbnail made in Java
      byte[] report = FilesBrowserIT.marked(200_000);
      bot.sendFile(room.id(), FileFlows.write(tmp, "report.bin", report), "a file from the sdk");
      a.waitFor(Flows.verifiedOnMessage("a file from the sdk"));
      a.click(FileFlows.downloadButton("report.bin"));
      assertArrayEquals(report, FileFlows.waitDownloaded(a, downloads, "report.bin"));
      a.waitUntil("checked", () -> FileFlows.status(a, "report.bin").contains("Decrypted and checked"));

      FileUpload photo = bot.upload(room.id(), FileFlows.write(tmp, "dunes.png", FileFlows.png(1200, 600)));
      FileUpload small2 = bot.upload(room.id(), new ByteArrayInputStream(jpeg(300, 150)), null, "image/jpeg");
      bot.send(room.id(), "a picture from the sdk", List.of(photo.withThumbnail(small2, 300, 150)));
      a.waitFor(Flows.verifiedOnMessage("a picture from the sdk"));
      Map<?, ?> size = FileFlows.waitPreview(a, "dunes.png");
      assertEquals(300L, ((Number) size.get("w")).longValue(), "the SDK's thumbnail: " + size);
      a.screenshot(T, "sdk-and-browser-files");
    }
  }

  static byte[] downloadWithSdk(SealroomClient bot, Attachment f) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    bot.download(f, out);
    return out.toByteArray();
  }

  static byte[] jpeg(int w, int h) throws Exception {
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(FileFlows.png(w, h)));
    BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    rgb.getGraphics().drawImage(img, 0, 0, null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(rgb, "jpg", out);
    return out.toByteArray();
  }
}
