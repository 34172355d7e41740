package io.c2cstream.engine.zoo;

import java.util.List;

/** The standard zoo data, generated once per test JVM: generation takes seconds. */
final class ZooFixture {

    private static ZooData data;

    private ZooFixture() {}

    static synchronized ZooData data() {
        if (data == null) {
            data = ZooData.generate(ZooWorld.standard());
        }
        return data;
    }

    static ZooWorld world() {
        return data().world();
    }

    static List<PretrainingDocument> sharerCorpus() {
        return data().sharerCorpus();
    }

    static List<PretrainingDocument> receiverCorpus() {
        return data().receiverCorpus();
    }
}
