def test_the_home_page_shows_the_product_is_up_and_the_knowledge_base_version(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Running" in response.content.decode()
    assert "Knowledge base version 2026.1" in response.content.decode()
