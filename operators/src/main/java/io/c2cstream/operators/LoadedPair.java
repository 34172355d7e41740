package io.c2cstream.operators;

import io.c2cstream.engine.c2c.C2cPipeline;
import io.c2cstream.engine.c2c.PairPrompts;
import io.c2cstream.engine.eval.T2tPrompts;
import io.c2cstream.engine.fuser.C2cFuser;
import io.c2cstream.engine.generate.LanguageModel;

/**
 * A receiver, its sharer and their fuser loaded on one device, shared by every operator of a JVM through
 * {@link ModelRegistry}; {@code sharer} and {@code fuser} are null when not configured.
 */
public record LoadedPair(String key, LanguageModel receiver, LanguageModel sharer, C2cFuser fuser, PairPrompts prompts) {

    static LoadedPair load(String key, C2cJobConfig config, ai.djl.Device device) {
        LanguageModel receiver = LanguageModel.load(config.receiverDir(), device);
        LanguageModel sharer = null;
        C2cFuser fuser = null;
        try {
            sharer = config.sharer() == null ? null : LanguageModel.load(config.sharerDir(), device);
            fuser = config.fuser() == null ? null : C2cFuser.load(config.fuserDir(), device);
            if (fuser != null) {
                if (sharer == null) {
                    throw new IllegalArgumentException("setting c2c.fuser needs c2c.sharer: the fuser's sharer model");
                }
                fuser.checkFits(receiver.model().config(), sharer.model().config());
            }
            PairPrompts prompts = new PairPrompts(receiver, sharer, fuser == null ? null : fuser.config(),
                    new C2cPipeline.Options(config.maxNewTokens(), config.t2tMaxNewTokens(), T2tPrompts.BACKGROUND));
            return new LoadedPair(key, receiver, sharer, fuser, prompts);
        } catch (RuntimeException e) {
            receiver.close();
            if (sharer != null) {
                sharer.close();
            }
            if (fuser != null) {
                fuser.close();
            }
            throw e;
        }
    }

    /** Version strings for responses: the model directory's name. */
    static String versionOf(LanguageModel model) {
        return model == null ? null : model.dir().getFileName().toString();
    }

    void close() {
        receiver.close();
        if (sharer != null) {
            sharer.close();
        }
        if (fuser != null) {
            fuser.close();
        }
    }
}
