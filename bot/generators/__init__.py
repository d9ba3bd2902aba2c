"""What writes an answer's text from the evidence: extractive, language models, the prompt."""
