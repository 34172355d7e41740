package io.c2cstream.engine.zoo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.c2cstream.engine.tokenizer.ChatMessage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes zoo corpora as JSON Lines, one object per line, fields in a fixed order. */
public final class ZooJsonl {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ZooJsonl() {}

    /** Pretraining documents: {@code {"kind": "bio", "text": "..."}} per line. */
    public static void writeDocuments(Path file, List<PretrainingDocument> documents) {
        write(file, documents.stream().map(document -> {
            ObjectNode row = JSON.createObjectNode();
            row.put("kind", document.kind().fileName());
            row.put("text", document.text());
            return row;
        }).toList());
    }

    /**
     * Conversations as {@code ConversationFile} reads them:
     * {@code {"messages": [{"role": "user", "content": "..."}, ...]}} per line.
     */
    public static void writeConversations(Path file, List<List<ChatMessage>> conversations) {
        write(file, conversations.stream().map(conversation -> {
            ObjectNode row = JSON.createObjectNode();
            ArrayNode messages = row.putArray("messages");
            for (ChatMessage message : conversation) {
                messages.addObject().put("role", message.role()).put("content", message.content());
            }
            return row;
        }).toList());
    }

    private static void write(Path file, List<ObjectNode> rows) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (BufferedWriter out = Files.newBufferedWriter(file)) {
                for (ObjectNode row : rows) {
                    out.write(JSON.writeValueAsString(row));
                    out.write('\n');
                }
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings always serialises", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
