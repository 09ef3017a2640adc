"""The pygame game: scenes, widgets and the window loop. It presents the engine and holds no
rules of its own."""
