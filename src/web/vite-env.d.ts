// Vite's ambient types for the staff app: CSS imported by a screen (`import '../education.css'`) is bundled by Vite.
/// <reference types="vite/client" />
