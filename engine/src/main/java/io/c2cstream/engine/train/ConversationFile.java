package io.c2cstream.engine.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.c2cstream.engine.tokenizer.ChatMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads training conversations: jsonl, one {@code {"messages": [{"role": …, "content": …}, …]}} per line. */
public final class ConversationFile {
    private ConversationFile() {}

    public static List<List<ChatMessage>> read(Path file) {
        ObjectMapper json = new ObjectMapper();
        List<List<ChatMessage>> conversations = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode messages = json.readTree(line).path("messages");
                if (!messages.isArray() || messages.isEmpty()) {
                    throw new IllegalArgumentException(file + " line " + number + " has no \"messages\" array");
                }
                List<ChatMessage> conversation = new ArrayList<>();
                for (JsonNode m : messages) {
                    conversation.add(new ChatMessage(m.path("role").asText(), m.path("content").asText()));
                }
                conversations.add(conversation);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read conversations from " + file, e);
        }
        return conversations;
    }
}
