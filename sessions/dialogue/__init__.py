"""The joint results: joint motives, agreements and notes, the review of the previous round, and starting the next round."""
