package io.c2cstream.engine.eval;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes {@code items.jsonl}, one line per item and mode, as results arrive, so that a long run that stops
 * part-way leaves every finished item on disk.
 */
public final class ItemsJsonlWriter implements Closeable {

    private final BufferedWriter out;

    private ItemsJsonlWriter(BufferedWriter out) {
        this.out = out;
    }

    /** Creates or truncates {@code file}. */
    public static ItemsJsonlWriter create(Path file) throws IOException {
        return new ItemsJsonlWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }

    public void write(ItemResult result) throws IOException {
        out.write(EvalJson.MAPPER.writeValueAsString(EvalJson.item(result)));
        out.write('\n');
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
