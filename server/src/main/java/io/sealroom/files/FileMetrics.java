package io.sealroom.files;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The files' meters: uploads (their rate is uploads/s), bytes in and out, and the bytes stored
 * (over every node's uploads: read from the store after each upload and sweep).
 */
public final class FileMetrics {
  private final Counter uploads;
  private final Counter uploadBytes;
  private final Counter downloadBytes;
  private final AtomicLong stored = new AtomicLong();

  /** Meters in the registry (null: a private registry nobody scrapes). */
  public FileMetrics(MeterRegistry registry) {
    MeterRegistry r = registry == null ? new SimpleMeterRegistry() : registry;
    uploads = Counter.builder("sealroom_file_uploads").description("Files uploaded and stored").register(r);
    uploadBytes = Counter.builder("sealroom_file_upload_bytes").description("Bytes of files stored by uploads")
        .register(r);
    downloadBytes = Counter.builder("sealroom_file_download_bytes").description("Bytes of files served")
        .register(r);
    Gauge.builder("sealroom_files_stored_bytes", stored, AtomicLong::get)
        .description("Bytes of all stored files (as of the last upload or sweep on this node)").register(r);
  }

  void uploaded(long bytes) {
    uploads.increment();
    uploadBytes.increment(bytes);
  }

  public void served(long bytes) {
    downloadBytes.increment(bytes);
  }

  void stored(long total) {
    stored.set(total);
  }
}
