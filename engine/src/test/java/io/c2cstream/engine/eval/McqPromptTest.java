package io.c2cstream.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The exact §6.2 prompt. */
class McqPromptTest {

    static final BenchmarkItem ITEM = new BenchmarkItem("arc", null, "Mercury_7175875",
            "Which is the most likely effect of this increase in rotation?",
            List.of("Planetary density will decrease.", "Planetary years will become longer.",
                    "Planetary days will become shorter.", "Planetary gravity will become stronger."), "C");

    @Test
    void promptTextCharacterByCharacter() {
        String expected = "Accurately answer the following question:\n"
                + "\n"
                + "Which is the most likely effect of this increase in rotation?\n"
                + "\n"
                + "Choices:\n"
                + "A. Planetary density will decrease.\n"
                + "B. Planetary years will become longer.\n"
                + "C. Planetary days will become shorter.\n"
                + "D. Planetary gravity will become stronger.\n"
                + "\n"
                + "\n"
                + "Instructions:\n"
                + "- Carefully read the question and all options.\n"
                + "- Select the single most correct answer.\n"
                + "- Respond ONLY in the following format: \"The correct answer is A/B/C/D\".\n"
                + "- Do not include any explanations, additional text, or punctuation besides the answer.\n"
                + "\n"
                + "The correct answer is";
        String prompt = McqPrompt.of(ITEM);
        for (int i = 0; i < Math.min(expected.length(), prompt.length()); i++) {
            assertEquals(expected.charAt(i), prompt.charAt(i), "character " + i);
        }
        assertEquals(expected, prompt);
    }

    @Test
    void choiceLinesFollowTheOptionCount() {
        assertEquals("A. x\nB. y\nC. z\n", McqPrompt.choiceLines(List.of("x", "y", "z")));
        assertEquals("A. 1\nB. 2\nC. 3\nD. 4\nE. 5\n", McqPrompt.choiceLines(List.of("1", "2", "3", "4", "5")));
    }

    @Test
    void theOpeningIsThePromptUpToItsOptions() {
        String opening = McqPrompt.opening(ITEM.question());
        assertEquals("Accurately answer the following question:\n\n" + ITEM.question() + "\n\n", opening);
        assertEquals(McqPrompt.of(ITEM).indexOf("Choices:"), opening.length());
    }

    @Test
    void placeholdersAreReplacedInTheReferenceOrder() {
        String prompt = McqPrompt.of("Spot {{choices}} here", List.of("x"));
        assertEquals("Accurately answer the following question:\n\nSpot A. x\n here\n\nChoices:\nA. x\n\n\n",
                prompt.substring(0, prompt.indexOf("Instructions:")));
    }
}
