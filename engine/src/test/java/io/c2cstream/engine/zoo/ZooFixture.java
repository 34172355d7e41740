package io.c2cstream.engine.zoo;

import java.util.List;

/** The standard zoo's corpora, generated once per test JVM: generation takes seconds. */
final class ZooFixture {

    private static final ZooWorld WORLD = ZooWorld.standard();
    private static List<PretrainingDocument> sharerCorpus;
    private static List<PretrainingDocument> receiverCorpus;

    private ZooFixture() {}

    static ZooWorld world() {
        return WORLD;
    }

    static synchronized List<PretrainingDocument> sharerCorpus() {
        if (sharerCorpus == null) {
            sharerCorpus = SharerCorpus.documents(WORLD);
        }
        return sharerCorpus;
    }

    static synchronized List<PretrainingDocument> receiverCorpus() {
        if (receiverCorpus == null) {
            receiverCorpus = ReceiverCorpus.documents(WORLD);
        }
        return receiverCorpus;
    }
}
