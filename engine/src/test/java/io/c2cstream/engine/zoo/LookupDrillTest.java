package io.c2cstream.engine.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LookupDrillTest {

    @Test
    void aDrillAsksForOneOfFourValuesOfOneAttributeAndEndsWithItsLetter() {
        Random random = new Random(1);
        for (int n = 0; n < 200; n++) {
            LookupDrill drill = LookupDrill.draw(random);
            String[] lines = drill.prompt().split("\n");
            assertEquals(7, lines.length, drill.prompt());
            assertTrue(lines[0].startsWith("Find ") && lines[0].endsWith("."), lines[0]);
            String asked = lines[0].substring("Find ".length(), lines[0].length() - 1);
            assertEquals("Choices:", lines[1]);
            List<String> options = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                assertTrue(lines[2 + i].startsWith((char) ('A' + i) + ". "), lines[2 + i]);
                options.add(lines[2 + i].substring(3));
            }
            assertEquals(4, Set.copyOf(options).size(), "four distinct options");
            assertTrue(Arrays.stream(Attribute.values()).anyMatch(a -> a.options().containsAll(options)),
                    "options of one attribute: " + options);
            assertEquals(asked, options.get(drill.gold() - 'A'), "the gold letter labels the asked value");
            assertTrue(drill.prompt().endsWith("\nMy choice is " + asked), drill.prompt());
            assertEquals(drill.prompt() + " " + drill.gold(), drill.text());
        }
    }

    @Test
    void goldLettersAreBalancedAndDrawsRepeatWithTheSeed() {
        List<PretrainingDocument> documents = LookupDrill.documents(4000, new Random(2));
        assertEquals(documents, LookupDrill.documents(4000, new Random(2)));
        int[] letters = new int[4];
        for (PretrainingDocument d : documents) {
            assertEquals(PretrainingDocument.Kind.LOOKUP_DRILL, d.kind());
            letters[d.text().charAt(d.text().length() - 1) - 'A']++;
        }
        for (int count : letters) {
            assertTrue(count > 850 && count < 1150, "letters " + Arrays.toString(letters));
        }
    }
}
