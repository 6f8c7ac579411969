package org.vae4j.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The content of a safetensors file: named tensors in the order of the file's header, and the
 * string-to-string {@code __metadata__}; {@link #int64} holds the I64 tensors of a file read with
 * {@link Safetensors#read(java.nio.file.Path, boolean)} (empty otherwise).
 */
public record SafetensorsFile(Map<String, TensorData> tensors, Map<String, String> metadata,
        Map<String, Int64Data> int64) {

    public SafetensorsFile {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        int64 = Collections.unmodifiableMap(new LinkedHashMap<>(int64));
    }

    /** A file of float32 tensors only. */
    public SafetensorsFile(Map<String, TensorData> tensors, Map<String, String> metadata) {
        this(tensors, metadata, Map.of());
    }

    /** A metadata value, or null when absent. */
    public String meta(String key) {
        return metadata.get(key);
    }
}
