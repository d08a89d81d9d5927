DROP TABLE case_study_embeddings;
