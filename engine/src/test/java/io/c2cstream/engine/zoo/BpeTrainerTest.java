package io.c2cstream.engine.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class BpeTrainerTest {

    private static final String SIMPLE_SPLIT = " ?\\p{L}+|[^\\p{L}]";

    private final BpeTrainer trainer = new BpeTrainer(SIMPLE_SPLIT, List.of("<eos>"));

    @Test
    void learnsTheMostFrequentPairFirstAndStopsWhenNoPairRepeats() {
        BpeModel model = trainer.train(List.of("ab ab ab cd cd"), List.of(), 100);
        // Words "ab", "Ġab" x2, "Ġcd" x2: "a b" occurs 3 times; then "c d", "Ġ ab" and "Ġ c" twice each, ties
        // broken by spelling ("c" < "Ġ"); after "c d", "Ġ cd" ties "Ġ ab" and comes after it.
        assertEquals(List.of("a b", "c d", "Ġ ab", "Ġ cd"), model.merges());
        assertEquals(256 + 4, model.vocabulary().size());
        assertEquals("Ġcd", model.vocabulary().get(259));
    }

    @Test
    void stopsAtTheRequestedNumberOfMerges() {
        assertEquals(List.of("a b"), trainer.train(List.of("ab ab ab cd cd"), List.of(), 1).merges());
    }

    @Test
    void addedTokensAreCutOutOfTheText() {
        BpeModel model = trainer.train(List.of("x<eos>x<eos>"), List.of(), 100);
        assertEquals(List.of(), model.merges(), "'<eos>' is no word of the text, so nothing repeats");
    }

    @Test
    void protectedWordsKeepTheirPiecesWhateverTheCorpusRepeats() {
        // The corpus repeats "Kedo" so often that plain BPE would make it one token.
        String text = String.join(" ", Collections.nCopies(50, "Kedo"));
        BpeModel plain = trainer.train(List.of(text), List.of(), 100);
        assertTrue(plain.vocabulary().contains("ĠKedo"));

        List<List<String>> protectedWords = List.of(List.of("Ke", "do"), List.of(" Ke", "do"), List.of(" purple"));
        BpeModel model = trainer.train(List.of(text), protectedWords, 100);
        BpeMerges merges = new BpeMerges();
        model.merges().forEach(merge -> merges.add(merge.split(" ")[0], merge.split(" ")[1]));
        assertEquals(List.of("ĠKe", "do"), merges.encode("ĠKedo"));
        assertEquals(List.of("Ke", "do"), merges.encode("Kedo"));
        assertEquals(List.of("Ġpurple"), merges.encode("Ġpurple"));
        // Forced merges come first, shortest pieces first, each built right to left.
        assertEquals(List.of("K e", "d o", "Ġ Ke"), model.merges().subList(0, 3));
    }

    @Test
    void aLongerPieceThatEndsWithAProtectedWordIsRejected() {
        // Building " Kedo" as one token must join " Ke" and "do", which the protected word forbids.
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> trainer.train(List.of(), List.of(List.of(" Ke", "do"), List.of(" Kedo")), 0));
        assertTrue(error.getMessage().contains("ĠKedo"), error.getMessage());
    }

    @Test
    void byteLevelWritesSpacesAndLineBreaksAsPrintableCharacters() {
        assertEquals("ĠKedo's", ByteLevel.encode(" Kedo's"));
        assertEquals("ĊĊ", ByteLevel.encode("\n\n"));
        assertEquals("Ã©", ByteLevel.encode("é"));
    }
}
