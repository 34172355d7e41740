package io.c2cstream.engine.c2c;

import io.c2cstream.engine.align.AlignedPrompt;
import io.c2cstream.engine.align.AlignmentStrategy;
import io.c2cstream.engine.align.ChatAligner;
import io.c2cstream.engine.align.FusionSection;
import io.c2cstream.engine.align.TokenAligner;
import io.c2cstream.engine.eval.T2tPrompts;
import io.c2cstream.engine.fuser.FuserConfig;
import io.c2cstream.engine.generate.LanguageModel;
import io.c2cstream.engine.generate.SamplingConfig;
import io.c2cstream.engine.tokenizer.ChatMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * The token ids every mode feeds its models, for one receiver/sharer pair: the answer prompt through a model's
 * own chat template (thinking disabled), the aligned C2C prompt (method §3–4), and the two stages of t2t (method
 * §6.4). The in-process {@link C2cPipeline} and the streaming job's operators both build prompts here, so the
 * same request gets the same ids in both.
 */
public final class PairPrompts {
    private final LanguageModel receiver;
    private final LanguageModel sharer;
    private final ChatAligner aligner;
    private final C2cPipeline.Options options;

    /**
     * @param sharer null when only {@code receiver_only} is wanted
     * @param fuser  null when {@code c2c} is not wanted; says whether the pair's tokens are aligned
     */
    public PairPrompts(LanguageModel receiver, LanguageModel sharer, FuserConfig fuser, C2cPipeline.Options options) {
        this.receiver = receiver;
        this.sharer = sharer;
        this.options = options;
        this.aligner = fuser != null && fuser.tokenAlignment()
                ? new ChatAligner(new TokenAligner(receiver.tokenizer(), sharer.tokenizer(),
                        AlignmentStrategy.parse(fuser.alignmentStrategy())),
                        receiver.requireChatTemplate("aligned c2c"), sharer.requireChatTemplate("aligned c2c"))
                : null;
    }

    public C2cPipeline.Options options() {
        return options;
    }

    /** What {@code model} reads to answer the request by itself ({@code receiver_only}, {@code sharer_only}). */
    public int[] answerIds(LanguageModel model, C2cPipeline.Request request) {
        if (request.rawText() != null) {
            return model.encodePrompt(request.rawText(), false);
        }
        return encodeChat(model, request.messages(), "a chat prompt");
    }

    /** The C2C prompt: aligned sections when the tokenizers differ, else the receiver's ids shared (method §4.6). */
    public C2cPrompt c2cPrompt(C2cPipeline.Request request) {
        if (aligner == null) {
            return C2cPrompt.sharedTokens(answerIds(receiver, request), 1);
        }
        if (request.rawText() != null) {
            throw new IllegalArgumentException("c2c across different tokenizers aligns chat messages (method §3.2):"
                    + " send the prompt as chat messages, not raw text");
        }
        return fromAlignment(aligner.align(request.messages(), true));
    }

    /** Stage 1 of t2t: the sharer is asked for background on the request's subject, through its chat template. */
    public int[] backgroundIds(C2cPipeline.Request request) {
        return encodeChat(sharer, backgroundRequest(request), "t2t");
    }

    /** Stage 2 of t2t: the receiver reads the sharer's background as an earlier turn, then the request. */
    public int[] t2tAnswerIds(C2cPipeline.Request request, String background) {
        List<ChatMessage> conversation = new ArrayList<>(backgroundRequest(request));
        conversation.add(ChatMessage.assistant(background));
        conversation.addAll(request.rawText() != null ? List.of(ChatMessage.user(request.rawText())) : request.messages());
        return encodeChat(receiver, conversation, "t2t");
    }

    /** Greedy answer settings of a model (method §6.3), at most {@code maxNewTokens} tokens. */
    public SamplingConfig answerSampling(LanguageModel model, int maxNewTokens) {
        return model.sampling(maxNewTokens, 0, 0, 1, 0);
    }

    /** Greedy settings of the sharer's t2t background text. */
    public SamplingConfig backgroundSampling() {
        return sharer.sampling(options.t2tMaxNewTokens(), 0, 0, 1, 0);
    }

    private List<ChatMessage> backgroundRequest(C2cPipeline.Request request) {
        return List.of(ChatMessage.user(T2tPrompts.background(options.backgroundPrompt(), request.backgroundSubject())));
    }

    /** Aligned prompts (method §3.2): message runs fused, template runs not; the trailing template is the receiver's. */
    static C2cPrompt fromAlignment(AlignedPrompt aligned) {
        List<C2cPrompt.Section> sections = new ArrayList<>();
        for (FusionSection s : aligned.inferenceSections()) {
            sections.add(new C2cPrompt.Section(s.start(), s.end(), s.fused() ? 1 : 0));
        }
        return new C2cPrompt(aligned.receiverIds(), aligned.receiverPadding(), List.of(aligned.sharerIds()),
                List.of(aligned.sharerPadding()), sections);
    }

    private static int[] encodeChat(LanguageModel model, List<ChatMessage> messages, String purpose) {
        return model.tokenizer().encode(model.requireChatTemplate(purpose).render(messages, true, false));
    }
}
