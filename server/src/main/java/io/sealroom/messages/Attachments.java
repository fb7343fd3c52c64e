package io.sealroom.messages;

import io.vertx.core.Future;
import java.util.List;

/**
 * What a send needs of uploaded files (implemented by the files feature, given to
 * {@link MessageService}): files named by a send are claimed for it before it is stored, and
 * confirmed once it is.
 */
public interface Attachments {
  /**
   * Claims these files for the message (uid, cid): each must have been uploaded by uid to rid
   * and not be claimed by another message (claimed by the same (uid, cid) is fine: a retry).
   * Succeeds with their file objects in the order named; otherwise fails invalid_request (field
   * files) and claims nothing.
   */
  Future<List<Attachment>> claim(String uid, String rid, String cid, List<String> fids);

  /** The message that claimed these files is stored: they are no longer candidates for collection. */
  void confirmed(List<Attachment> files);

  /** The send that claimed these files was refused: they are free again (for another send, or a delete). */
  void released(String uid, String cid, List<Attachment> files);

  /** For services built without files: every send naming files is refused. */
  Attachments NONE = new Attachments() {
    @Override
    public Future<List<Attachment>> claim(String uid, String rid, String cid, List<String> fids) {
      return Future.failedFuture(io.sealroom.common.ApiException.invalid("files", "files are not available"));
    }

    @Override
    public void confirmed(List<Attachment> files) {
    }

    @Override
    public void released(String uid, String cid, List<Attachment> files) {
    }
  };
}
