// Placeholder entry point; the devnet commands are added with the devnet itself.
return 0;
