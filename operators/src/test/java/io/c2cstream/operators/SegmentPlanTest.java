package io.c2cstream.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.c2cstream.engine.c2c.C2cPrompt;
import io.c2cstream.engine.fuser.C2cFuser;
import io.c2cstream.engine.fuser.FuserConfig;
import io.c2cstream.engine.fuser.ProjectorConfig;
import io.c2cstream.engine.model.ModelConfig;
import io.c2cstream.engine.model.ModelFamily;
import io.c2cstream.engine.model.TinyModels;
import io.c2cstream.schemas.kv.KvDtype;
import io.c2cstream.schemas.kv.KvSegmentCodec;
import io.c2cstream.schemas.kv.KvSegmentId;
import io.c2cstream.schemas.kv.KvSlice;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the sharer sends: only layers read through an open gate, only fused columns, every record under the limit. */
class SegmentPlanTest {
    private static final int LAYERS = 6;
    private static final ModelConfig RECEIVER = config(ModelFamily.QWEN3);
    private static final ModelConfig SHARER = config(ModelFamily.LLAMA);
    private static final String REQUEST = "arc/item-17/c2c";
    private static final String MODEL = "sharer";

    /** Two fused runs with an unfused gap between them, and the unfused last token. */
    private static final C2cPrompt PROMPT = prompt(List.of(new C2cPrompt.Section(0, 9, 1),
            new C2cPrompt.Section(9, 12, 0), new C2cPrompt.Section(12, 30, 1), new C2cPrompt.Section(30, 31, 0)));

    private C2cFuser fuser;

    private static ModelConfig config(ModelFamily family) {
        return ModelConfig.fromJson(TinyModels.config(family).put("num_hidden_layers", LAYERS));
    }

    private static C2cPrompt prompt(List<C2cPrompt.Section> sections) {
        int length = sections.get(sections.size() - 1).to();
        int[] ids = IntStream.range(0, length).map(i -> 1 + i % (TinyModels.VOCAB - 1)).toArray();
        boolean[] none = new boolean[length];
        return new C2cPrompt(ids, none, List.of(ids), List.of(none), sections);
    }

    @BeforeEach
    void fuserWithGatesOpenOnAllButLayerThree() {
        FuserConfig config = new FuserConfig("tiny-qwen3", "tiny-llama", false, "longest", "last_aligned",
                "sequential", ProjectorConfig.reference(SHARER.numKvHeads(), SHARER.headDim(), RECEIVER.numKvHeads(),
                RECEIVER.headDim(), 16, 24));
        fuser = C2cFuser.initialize(config, RECEIVER, SHARER, Device.cpu(), 7);
        for (int t = 0; t < LAYERS; t++) {
            // One open gate is enough for a layer to be read; layer 3 stays closed.
            fuser.projectors().get(t).setGateLogits(t == 3 ? -1f : t % 2, t == 3 ? 0f : 1f);
        }
    }

    @AfterEach
    void close() {
        fuser.close();
    }

    @Test
    void groupsAreRunsOfConsecutiveLayersNoLongerThanTheGroupSize() {
        TreeSet<Integer> layers = new TreeSet<>(List.of(0, 1, 2, 4, 5, 6, 9));
        assertEquals(List.of("0+1", "1+1", "2+1", "4+1", "5+1", "6+1", "9+1"), show(SegmentPlan.groups(layers, 1)));
        assertEquals(List.of("0+2", "2+1", "4+2", "6+1", "9+1"), show(SegmentPlan.groups(layers, 2)));
        assertEquals(List.of("0+3", "4+3", "9+1"), show(SegmentPlan.groups(layers, 8)));
        assertEquals(List.of(), SegmentPlan.groups(new TreeSet<>(), 4));
    }

    @Test
    void onlyLayersReadThroughAnOpenGateAreSent() {
        assertEquals(Set.of(0, 1, 2, 4, 5), SegmentPlan.sharerLayersRead(fuser));
        for (SegmentPlan.Piece p : pieces(KvSegmentCodec.builder().build(), 2, 1 << 20)) {
            assertTrue(p.layerStart() + p.layerCount() <= 3 || p.layerStart() >= 4, p.toString());
        }
        for (int t = 0; t < LAYERS; t++) {
            fuser.projectors().get(t).setGateLogits(0f, -2f);
        }
        assertEquals(List.of(), pieces(KvSegmentCodec.builder().build(), 2, 1 << 20));
    }

    @Test
    void everyPieceFitsTheLimitAndTheyCoverExactlyTheFusedColumnsOfEveryLayerRead() {
        for (KvDtype dtype : KvDtype.values()) {
            KvSegmentCodec codec = KvSegmentCodec.builder().dtype(dtype).build();
            for (int perGroup : new int[] {1, 2, 4}) {
                for (int maxBytes : new int[] {700, 1500, 1 << 20}) {
                    String where = dtype + ", " + perGroup + " layers per group, " + maxBytes + " bytes";
                    List<SegmentPlan.Piece> pieces = pieces(codec, perGroup, maxBytes);
                    List<List<Integer>> columns = new ArrayList<>(Collections.nCopies(LAYERS, List.of()));
                    for (int i = 0; i < pieces.size(); i++) {
                        SegmentPlan.Piece p = pieces.get(i);
                        assertTrue(p.layerCount() <= perGroup, where + ": " + p);
                        KvSegmentId id = new KvSegmentId(REQUEST, MODEL, i, pieces.size());
                        int size = codec.encode(id, slice(p)).remaining();
                        assertTrue(size <= maxBytes, where + ": " + p + " encodes to " + size + " bytes");
                        for (int layer = p.layerStart(); layer < p.layerStart() + p.layerCount(); layer++) {
                            List<Integer> seen = new ArrayList<>(columns.get(layer));
                            IntStream.range(p.from(), p.to()).forEach(seen::add);
                            columns.set(layer, seen);
                        }
                    }
                    List<Integer> fused = PROMPT.sections().stream().filter(C2cPrompt.Section::fused)
                            .flatMap(s -> IntStream.range(s.from(), s.to()).boxed()).toList();
                    for (int layer = 0; layer < LAYERS; layer++) {
                        List<Integer> sent = columns.get(layer).stream().sorted().toList();
                        assertEquals(layer == 3 ? List.of() : fused, sent, where + ", layer " + layer);
                    }
                }
            }
        }
    }

    @Test
    void aLimitBelowOneTokenNamesTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> pieces(KvSegmentCodec.builder().build(), 2, 200));
        assertTrue(e.getMessage().contains("c2c.segment.max-bytes"), e.getMessage());
    }

    private List<SegmentPlan.Piece> pieces(KvSegmentCodec codec, int perGroup, int maxBytes) {
        return SegmentPlan.pieces(fuser, PROMPT, codec, REQUEST, MODEL, SHARER.numKvHeads(), SHARER.headDim(),
                perGroup, maxBytes);
    }

    private static KvSlice slice(SegmentPlan.Piece p) {
        return KvSlice.allocate(p.layerStart(), p.layerCount(), p.from(), p.to() - p.from(), SHARER.numKvHeads(),
                SHARER.headDim());
    }

    private static List<String> show(List<int[]> groups) {
        return groups.stream().map(g -> g[0] + "+" + g[1]).toList();
    }
}
