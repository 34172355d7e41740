package io.c2cstream.engine.align;

import io.c2cstream.engine.align.PromptSection.Kind;
import io.c2cstream.engine.tokenizer.ChatMessage;
import io.c2cstream.engine.tokenizer.ChatTemplate;
import io.c2cstream.engine.tokenizer.Encoding;
import io.c2cstream.engine.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Tokenizes a conversation for a receiver and a sharer with different tokenizers so that both get
 * sequences of one length with shared positions (method §3.2).
 *
 * <p>Each model renders the conversation with its <em>own</em> chat template ({@code
 * enable_thinking} false) and encodes it with character offsets. The message contents are located
 * in both prompts, which splits each into alternating template and message sections; both must
 * yield the same sections. Template sections keep each model's own tokens, the shorter one
 * right-padded; message sections keep the receiver's tokens and give the sharer one token per
 * receiver token through the {@link TokenAligner}, so the sharer never sees its own tokenization of
 * message content.
 */
public final class ChatAligner {

    private final TokenAligner tokens;
    private final ChatTemplate receiverTemplate;
    private final ChatTemplate sharerTemplate;
    private final int receiverPadId;
    private final int sharerPadId;

    /**
     * @param tokens the receiver and sharer tokenizers and the message-token strategy
     * @param receiverTemplate the receiver's chat template
     * @param sharerTemplate the sharer's chat template
     * @throws IllegalArgumentException when a tokenizer has neither a pad nor an eos token to pad with
     */
    public ChatAligner(TokenAligner tokens, ChatTemplate receiverTemplate, ChatTemplate sharerTemplate) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.receiverTemplate = Objects.requireNonNull(receiverTemplate, "receiverTemplate");
        this.sharerTemplate = Objects.requireNonNull(sharerTemplate, "sharerTemplate");
        this.receiverPadId = padId(tokens.receiver(), "receiver");
        this.sharerPadId = padId(tokens.sharer(), "sharer");
    }

    /**
     * Aligns a conversation.
     *
     * @param addGenerationPrompt whether both prompts end with the header of an assistant turn
     * @throws IllegalArgumentException when the two prompts split into different sections, which
     *     happens when a message content is not found verbatim in one of them (a template that trims
     *     or rewrites content)
     */
    public AlignedPrompt align(List<ChatMessage> messages, boolean addGenerationPrompt) {
        Rendered receiver = render(tokens.receiver(), receiverTemplate, messages, addGenerationPrompt);
        Rendered sharer = render(tokens.sharer(), sharerTemplate, messages, addGenerationPrompt);
        checkSameShape(receiver, sharer);

        List<PromptSection> sections = alignedSections(receiver.sections(), sharer.sections());
        int length = sections.isEmpty() ? 0 : sections.get(sections.size() - 1).end();
        int[] receiverIds = new int[length];
        int[] sharerIds = new int[length];
        boolean[] messageMask = new boolean[length];
        boolean[] receiverPadding = new boolean[length];
        boolean[] sharerPadding = new boolean[length];
        for (int i = 0; i < sections.size(); i++) {
            PromptSection out = sections.get(i);
            int[] ownReceiverIds = receiver.ids(receiver.sections().get(i));
            if (out.kind() == Kind.MESSAGE) {
                System.arraycopy(ownReceiverIds, 0, receiverIds, out.start(), out.length());
                System.arraycopy(tokens.align(ownReceiverIds), 0, sharerIds, out.start(), out.length());
                Arrays.fill(messageMask, out.start(), out.end(), true);
            } else {
                pad(ownReceiverIds, receiverPadId, receiverIds, receiverPadding, out);
                pad(sharer.ids(sharer.sections().get(i)), sharerPadId, sharerIds, sharerPadding, out);
            }
        }
        return new AlignedPrompt(receiverIds, sharerIds, messageMask, receiverPadding, sharerPadding, sections);
    }

    /**
     * The sections of the aligned sequence: a message section as long as the receiver's, a template
     * section as long as the longer of the two.
     */
    private static List<PromptSection> alignedSections(List<PromptSection> receiver, List<PromptSection> sharer) {
        List<PromptSection> sections = new ArrayList<>(receiver.size());
        int at = 0;
        for (int i = 0; i < receiver.size(); i++) {
            PromptSection r = receiver.get(i);
            int width = r.kind() == Kind.MESSAGE ? r.length() : Math.max(r.length(), sharer.get(i).length());
            sections.add(new PromptSection(r.kind(), at, at + width));
            at += width;
        }
        return sections;
    }

    /** Writes {@code ids} at the start of {@code section}, then pad ids to its end, marked as padding. */
    private static void pad(int[] ids, int padId, int[] out, boolean[] padding, PromptSection section) {
        int padFrom = section.start() + ids.length;
        System.arraycopy(ids, 0, out, section.start(), ids.length);
        Arrays.fill(out, padFrom, section.end(), padId);
        Arrays.fill(padding, padFrom, section.end(), true);
    }

    private static Rendered render(
            TextTokenizer tokenizer, ChatTemplate template, List<ChatMessage> messages, boolean addGenerationPrompt) {
        String prompt = template.render(messages, addGenerationPrompt, false);
        Encoding encoding = tokenizer.encodeWithOffsets(prompt);
        return new Rendered(prompt, encoding, PromptSections.of(encoding, ContentLocator.locate(prompt, messages)));
    }

    private static void checkSameShape(Rendered receiver, Rendered sharer) {
        List<Kind> receiverKinds = receiver.sections().stream().map(PromptSection::kind).toList();
        List<Kind> sharerKinds = sharer.sections().stream().map(PromptSection::kind).toList();
        if (!receiverKinds.equals(sharerKinds)) {
            throw new IllegalArgumentException("the receiver's and the sharer's prompts split into different"
                    + " sections, receiver " + describe(receiver.sections()) + " and sharer "
                    + describe(sharer.sections()) + ": a message content was not found verbatim in one prompt"
                    + " (the template trims or rewrites it); pass contents the templates keep as they are."
                    + "\nreceiver prompt: " + receiver.prompt() + "\nsharer prompt: " + sharer.prompt());
        }
    }

    private static String describe(List<PromptSection> sections) {
        return sections.stream()
                .map(s -> s.kind().name().toLowerCase(Locale.ROOT) + "[" + s.start() + "," + s.end() + ")")
                .collect(Collectors.joining(" ", "{", "}"));
    }

    private static int padId(TextTokenizer tokenizer, String role) {
        return TokenRoles.pad(tokenizer).orElseThrow(() -> new IllegalArgumentException("the " + role
                + " tokenizer has neither pad_token nor eos_token in tokenizer_config.json, so its template"
                + " sections cannot be padded: declare a pad_token"));
    }

    /** One model's rendered prompt, its tokens and its sections. */
    private record Rendered(String prompt, Encoding encoding, List<PromptSection> sections) {

        int[] ids(PromptSection section) {
            int[] ids = new int[section.length()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = encoding.id(section.start() + i);
            }
            return ids;
        }
    }
}
